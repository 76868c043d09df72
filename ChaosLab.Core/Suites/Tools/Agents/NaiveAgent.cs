namespace ChaosLab.Core.Suites.Tools.Agents;

/// <summary>Asks one retrieval path once per fact and trusts whatever comes back.</summary>
public sealed class NaiveAgent : ScriptedToolsAgent
{
    public override string Name => "naive";

    private protected override FactSource? Choose(int spare, int laterFacts) => Attempts.Count == 0 && spare > 0 ? Sources[0] : null;

    private protected override string? Pick(string field) => ReadingsFor(field).FirstOrDefault()?.Value;
}
