namespace ChaosLab.Core.Scenarios;

/// <summary>
/// Stored scenario documents as a suite needs them while resetting: synchronously, latest
/// version first.
/// </summary>
public interface IScenarioSource
{
    /// <summary>The latest stored version of a scenario of <paramref name="suite"/>, or null.</summary>
    ScenarioDocument? FindLatest(string suite, string id);
}
