namespace ChaosLab.Core.Scenarios;

/// <summary>One document as the only stored scenario: how a suite plays a draft nobody has published.</summary>
public sealed class SingleScenarioSource(ScenarioDocument document) : IScenarioSource
{
    public ScenarioDocument? FindLatest(string suite, string id) =>
        string.Equals(suite, document.Suite, StringComparison.OrdinalIgnoreCase) && string.Equals(id, document.Id, StringComparison.OrdinalIgnoreCase)
            ? document
            : null;
}
