using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>A suite that only declares fault kinds: all a fault badge or the chart palette asks of a suite.</summary>
public sealed class KindsOnlySuite(params IReadOnlyList<FaultKind> kinds) : ISuite
{
    public string Name => "kinds-only";
    public string Description => "declares fault kinds";
    public IReadOnlyList<TaskDescriptor> Tasks => [];
    public IReadOnlyList<string> Tiers => [];
    public IReadOnlyList<ScenarioDescriptor> Scenarios => [];
    public IReadOnlyList<ToolDescriptor> Tools => [];
    public IReadOnlyList<FaultKind> FaultKinds => kinds;
    public IReadOnlyList<ReferenceAgent> ReferenceAgents => [];
    public IReadOnlyList<ReferenceAgent> ExploitAgents => [];
    public SuiteSchemas Schemas => throw new NotSupportedException();
    public IEpisodeSession CreateSession() => throw new NotSupportedException();
}
