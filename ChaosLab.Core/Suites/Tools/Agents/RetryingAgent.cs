namespace ChaosLab.Core.Suites.Tools.Agents;

/// <summary>Asks one retrieval path per fact and repeats the same call while it fails; trusts the first answer.</summary>
public sealed class RetryingAgent : ScriptedToolsAgent
{
    public override string Name => "retrying";

    private protected override FactSource? Choose(int spare, int laterFacts)
    {
        if (spare <= 0)
        {
            return null;
        }

        return Attempts.Count == 0 || Attempts[^1].Failed ? Sources[0] : null;
    }

    private protected override string? Pick(string field) => ReadingsFor(field).FirstOrDefault()?.Value;
}
