using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>One request of a case as the generator labelled it: what the checks judge it by.</summary>
/// <param name="Call">0-based call index.</param>
/// <param name="Index">0-based position in the call's batch.</param>
/// <param name="Json">The request exactly as the submission gets it.</param>
/// <param name="Id">Its id (null when it has no string id).</param>
/// <param name="Url">Its url when it is a string (also for malformed requests: a unique one, to see whether it was sent).</param>
/// <param name="Defect">Why it is malformed ("url 'ftp://…' is not http(s)"), or null for a valid request.</param>
/// <param name="Replayable">May be sent again after a connection reset or a timeout (idempotent method or Idempotency-Key).</param>
internal sealed record RetryRequest(int Call, int Index, JsonNode? Json, string? Id, string? Url, string? Method, string? Defect, bool Replayable)
{
    public bool Malformed => Defect is not null;

    public string? Host => Malformed ? null : RetryRules.Host(Url);

    /// <summary>"request r4 (GET https://catalog.partner.example/v1/items/4) in call 2".</summary>
    public string Describe() => Malformed
        ? $"the malformed request at index {Index} of call {Call + 1} ({Defect})"
        : $"request {Id} ({Method} {Url}) in call {Call + 1}";
}

/// <summary>A generated case: what the harness runs, and the labels the checks need.</summary>
/// <param name="Tiers">The requirement tiers the case exercises (its kinds' tiers and tier 1).</param>
/// <param name="Answers">Per url, the scripted answers in words ("503, 503, 200"), for evidence.</param>
internal sealed record RetryCase(
    HarnessCase Harness,
    IReadOnlyList<IReadOnlyList<RetryRequest>> Calls,
    IReadOnlyList<int> Tiers,
    IReadOnlyList<FaultDecision> Faults,
    string Summary,
    IReadOnlyDictionary<string, string> Answers)
{
    public string Id => Harness.Id;

    /// <summary>Seconds since the case started, for messages ("+12.5 s").</summary>
    public string At(double clock) => "+" + RetryRules.Seconds(clock - Harness.ClockStart) + " s";
}
