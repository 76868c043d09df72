using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// Builds one case: a few calls of healthy background traffic with the case's fault kinds
/// injected into them, each request's transport script keyed by its (unique) url, and the labels
/// the checks need. Every draw comes from a per-purpose seeded stream, so the case is a pure
/// function of (seed, stream, index, difficulty) and adding a kind does not shift the others.
/// </summary>
internal sealed partial class RetryCaseBuilder
{
    private const double PinFirst = -1;
    private const double PinLast = 2;

    private static readonly string[] Domains = ["partner.example", "acme-api.test"];

    private readonly CaseDraw _draw;
    private readonly int _index;
    private readonly double _intensity;
    private readonly string _domain;
    private readonly List<(double Order, List<Pending> Requests)>[] _calls;
    private readonly Dictionary<string, IReadOnlyList<ScriptedResponse>> _scripts = [];
    private readonly Dictionary<string, DependencyGate> _gates = [];
    private readonly Dictionary<string, string> _answers = [];
    private readonly List<FaultDecision> _faults = [];
    private readonly List<string> _summary = [];
    private readonly HashSet<string> _hosts = [];
    private int _serial;
    private int _requestCount;

    public RetryCaseBuilder(CaseDraw draw, int index)
    {
        _draw = draw;
        _index = index;
        _intensity = Math.Clamp(draw.Difficulty.Intensity, 0, 1);
        var plan = Stream("plan");
        _domain = plan.Pick(Domains);
        _calls = new List<(double, List<Pending>)>[3 + plan.Next(0, 1 + (int)Math.Round(2 * _intensity))];
        for (var i = 0; i < _calls.Length; i++)
        {
            _calls[i] = [];
        }

        ClockStart = 1_800_000_000 + plan.Next(0, 50_000_000);
    }

    private string CaseId => (_draw.Stream == CaseDraw.HiddenStream ? "h" : "p") + (_index + 1).ToString(CultureInfo.InvariantCulture);

    private double ClockStart { get; }

    private int Calls => _calls.Length;

    public RetryCase Build()
    {
        var chosen = ChooseKinds();
        AddBackground();
        // In the kinds' own order: the fan-out looks for a call the outage left free.
        foreach (var (kind, roll, threshold) in chosen.OrderBy(c => RetryFaultKinds.All.ToList().IndexOf(c.Kind)))
        {
            Inject(kind, roll, threshold);
        }

        var calls = new List<IReadOnlyList<RetryRequest>>();
        for (var c = 0; c < Calls; c++)
        {
            var ordered = _calls[c].OrderBy(s => s.Order).SelectMany(s => s.Requests).ToList();
            calls.Add([.. ordered.Select((p, i) => new RetryRequest(c, i, p.Json, p.Id, p.Url, p.Method, p.Defect, p.Replayable))]);
        }

        var transport = new DependencyScript([], HttpAnswers.Problem(400), Key: "url", PerKey: _scripts, Gates: _gates, Latency: RetryRules.Latency);
        var harness = new HarnessCase(
            CaseId,
            [.. calls.Select(call => (JsonNode?)new JsonArray([.. call.Select(r => r.Json?.DeepClone())]))],
            Dependencies: new Dictionary<string, DependencyScript> { ["transport"] = transport },
            ClockStart: ClockStart);
        var tiers = chosen.Select(c => RetryFaultKinds.TierOf(c.Kind)).Append(1).Distinct().Order().ToList();
        var summary = string.Create(CultureInfo.InvariantCulture, $"{Calls} calls, {calls.Sum(c => c.Count)} requests on {_hosts.Count} hosts: {string.Join(", ", _summary)}");
        return new RetryCase(harness, calls, tiers, _faults, summary, _answers);
    }

    /// <summary>
    /// The kinds of this case: for each graded tier, one of its allowed kinds for sure and each
    /// other with a probability growing with intensity. Tier 1 always starts from a kind the
    /// deployed code fails on (a 4xx, a malformed request, a body it cannot parse), as production
    /// traffic always has some.
    /// </summary>
    private List<(FaultKind Kind, double Roll, double Threshold)> ChooseKinds()
    {
        var random = Stream("kinds");
        var allowed = RetryFaultKinds.All
            .Where(k => _draw.Difficulty.Kinds.Contains(k.Name) && _draw.Difficulty.GradedTiers.Contains(RetryFaultKinds.TierOf(k)))
            .ToList();
        var chosen = new List<(FaultKind, double, double)>();
        foreach (var tier in _draw.Difficulty.GradedTiers.Order())
        {
            var ofTier = allowed.Where(k => RetryFaultKinds.TierOf(k) == tier).ToList();
            if (ofTier.Count == 0)
            {
                continue;
            }

            var breaking = tier == 1
                ? ofTier.Where(k => k == RetryFaultKinds.ClientError || k == RetryFaultKinds.MalformedRequest || k == RetryFaultKinds.ContentTypeBody).ToList()
                : ofTier;
            var first = random.Pick(breaking.Count > 0 ? breaking : ofTier);
            chosen.Add((first, 0, 1));
            var threshold = 0.3 + (0.4 * _intensity);
            foreach (var other in ofTier.Where(k => k != first))
            {
                var roll = random.NextDouble();
                if (roll < threshold)
                {
                    chosen.Add((other, roll, threshold));
                }
            }
        }

        return chosen;
    }

    private void Inject(FaultKind kind, double roll, double threshold)
    {
        var random = Stream("kind:" + kind.Name);
        var before = _calls.Select(c => c.Sum(s => s.Requests.Count)).ToArray();
        var (reason, parameters) = kind.Name switch
        {
            "http_client_error" => ClientErrors(random),
            "http_transient_burst" => Bursts(random, 1, 2, RetryFaultKinds.TransientBurst),
            "malformed_request" => MalformedRequests(random),
            "content_type_body" => Bodies(random),
            "retry_after_window" => RetryAfters(random),
            "ambiguous_write_failure" => AmbiguousWrites(random),
            "long_transient_burst" => Bursts(random, 3, 4, RetryFaultKinds.LongBurst),
            "host_outage" => Outage(random),
            "retry_fanout" => Fanout(random),
            _ => throw new InvalidOperationException($"No injection for {kind.Name}."),
        };
        var touched = Enumerable.Range(0, Calls).Where(c => _calls[c].Sum(s => s.Requests.Count) != before[c]).Select(c => c + 1).ToList();
        var trigger = touched.Count == 1 ? $"call {touched[0]}" : $"calls {touched.Min()}-{touched.Max()}";
        var target = "case:" + CaseId;
        _faults.Add(new FaultDecision(kind.Name, target, true, trigger, reason, parameters,
            new FaultDecisionInputs(_draw.Seed, string.Empty, target, string.Empty, _index, roll, threshold)));
    }

    private DeterministicRandom Stream(string purpose) =>
        SeededStreams.Stream(_draw.Seed, $"gauntlet|retry|{_draw.Stream}|{_index.ToString(CultureInfo.InvariantCulture)}|{purpose}");

    /// <summary>A request waiting for its place in a call.</summary>
    private sealed record Pending(JsonNode? Json, string? Id, string? Url, string? Method, string? Defect, bool Replayable);
}
