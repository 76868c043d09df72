namespace ChaosLab.Core.Agents;

/// <summary>
/// A scripted agent a suite contributes: played by the seeder on the suite's own scenarios, and
/// its name reserved for the server (see <see cref="Integrity.AgentRegistry"/>).
/// </summary>
/// <param name="Create">A fresh agent; one instance plays one episode at a time.</param>
public sealed record ReferenceAgent(string Name, Func<IAgent> Create);
