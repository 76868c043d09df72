using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>
/// A case's report seen through its requests: each call's transport attempts attributed to the
/// request they carried (by its id, else its url, else the value itself), its results lined up
/// with its requests, and the breakers replayed from the attempts.
/// </summary>
internal sealed class RetryCaseRun
{
    public RetryCaseRun(RetryCase retryCase, CaseRun run)
    {
        Case = retryCase;
        var calls = new List<CallView>();
        var start = retryCase.Harness.ClockStart;
        for (var c = 0; c < retryCase.Calls.Count; c++)
        {
            calls.Add(new CallView(c + 1, run.Calls[c], start, retryCase.Calls[c]));
            start = run.Calls[c].Clock;
        }

        Calls = calls;
        Breakers = new BreakerReplay(calls);
    }

    public RetryCase Case { get; }

    public IReadOnlyList<CallView> Calls { get; }

    public BreakerReplay Breakers { get; }

    /// <summary>A request with its attempts and result, as evidence.</summary>
    public JsonObject Evidence(CallView call, RetryRequest request) => new()
    {
        ["call"] = call.Number,
        ["request"] = request.Json?.DeepClone(),
        ["script"] = request.Url is { } url && Case.Answers.TryGetValue(url, out var words) ? words : null,
        ["attempts"] = new JsonArray([.. call.AttemptsOf[request.Index].Select(a => (JsonNode)new JsonObject
        {
            ["at"] = Case.At(a.At),
            ["answer"] = a.Word,
        })]),
        ["result"] = call.Result(request.Index)?.DeepClone(),
    };
}

/// <summary>One call of a case: what it was given, what it did, what it returned.</summary>
/// <param name="Number">1-based, as messages say it.</param>
/// <param name="Start">The virtual clock when the call began.</param>
internal sealed class CallView
{
    public CallView(int number, CallRun run, double start, IReadOnlyList<RetryRequest> requests)
    {
        Number = number;
        Run = run;
        Start = start;
        Requests = requests;
        var attempts = requests.Select(_ => new List<Attempt>()).ToList();
        var transport = new List<Attempt>();
        foreach (var call in run.Dependencies.Where(d => d.Name == "transport"))
        {
            var owner = Owner(call.Argument);
            var attempt = new Attempt(call, transport.Count, owner is null ? 0 : attempts[owner.Index].Count);
            transport.Add(attempt);
            if (owner is not null)
            {
                attempts[owner.Index].Add(attempt);
            }
        }

        Transport = transport;
        AttemptsOf = attempts;
        var results = run.Succeeded ? PyValue.Items(PyValue.Get(run.Returned, "results")) : null;
        Results = results is not null && results.Count == requests.Count ? results : null;
    }

    public int Number { get; }

    public CallRun Run { get; }

    public double Start { get; }

    public IReadOnlyList<RetryRequest> Requests { get; }

    /// <summary>Every transport call of the call, in order.</summary>
    public IReadOnlyList<Attempt> Transport { get; }

    /// <summary>Per request index, its attempts in order.</summary>
    public IReadOnlyList<IReadOnlyList<Attempt>> AttemptsOf { get; }

    /// <summary>The results, when the call returned a list of exactly one per request; null otherwise.</summary>
    public IReadOnlyList<JsonNode?>? Results { get; }

    /// <summary>Attempts that were not their request's first.</summary>
    public int Retries => AttemptsOf.Sum(a => Math.Max(0, a.Count - 1));

    public JsonNode? Result(int index) => Results?[index];

    /// <summary>Retries made up to and including the transport call at <paramref name="position"/>.</summary>
    public int RetriesThrough(int position) => Transport.Take(position + 1).Count(a => a.Retry > 0);

    private RetryRequest? Owner(JsonNode? argument)
    {
        if (PyValue.Get(argument, "id") is JsonValue id && PyValue.IsString(id) && Requests.FirstOrDefault(r => r.Id == id.GetValue<string>()) is { } byId)
        {
            return byId;
        }

        if (PyValue.Get(argument, "url") is JsonValue url && PyValue.IsString(url) && Requests.FirstOrDefault(r => r.Url == url.GetValue<string>()) is { } byUrl)
        {
            return byUrl;
        }

        return Requests.FirstOrDefault(r => r.Malformed && JsonNode.DeepEquals(r.Json, argument));
    }
}
