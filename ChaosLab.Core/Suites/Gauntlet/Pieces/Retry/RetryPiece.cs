using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// The retry-storm HTTP client: <c>fetch_all(requests, state)</c> sends a batch through a
/// scripted <c>transport</c>. As deployed it retries every failure at once and for ever (4xx
/// included), ignores Retry-After and shares nothing between calls.
/// </summary>
public sealed class RetryPiece : IFragilePiece
{
    private const string Folder = "Retry";

    private RetryPiece()
    {
        OriginalSource = PieceResources.Read(Folder, "original.py");
        Requirements = PieceResources.Read(Folder, "requirements.md");
        Baselines = new PieceBaselines(
            PieceResources.Read(Folder, "quick_patch.py"),
            PieceResources.Read(Folder, "tier1_fix.py"),
            PieceResources.Read(Folder, "keyword_stuffed.py"));
    }

    public static RetryPiece Instance { get; } = new();

    public string Id => "retry";

    public string Title => "Harden a retry-storm HTTP client";

    public string Guidance =>
        "fetch_all(requests, state) sends a batch of HTTP requests through transport() and retries every failure at once, for ever: "
        + "4xx included, Retry-After ignored, writes replayed, nothing remembered between calls. When the partner API degrades it "
        + "turns into a retry storm. Read the source and the requirements, probe it in the sandbox, run the examples, and submit a "
        + "rewrite that is correct, backs off, and protects a failing host with a breaker and a retry budget, with truthful telemetry.";

    public string EntryPoint => "fetch_all";

    public IReadOnlyList<string> Dependencies { get; } = ["transport"];

    public string OriginalSource { get; }

    public string Requirements { get; }

    public IReadOnlyList<RequirementTier> RequirementTiers { get; } =
    [
        new(1, "correctness", "One result per request in order; malformed requests and permanent answers never retried; transient failures retried within 5 attempts; bodies parsed by content type."),
        new(2, "stability", "Capped exponential backoff, Retry-After waited out (refused beyond 30 s), writes without an Idempotency-Key never replayed after a reset or timeout."),
        new(3, "resilience", "A per-call retry budget and per-host circuit breakers kept in the state across calls, bounded state, telemetry equal to what happened."),
    ];

    public IReadOnlyList<FaultKind> FaultKinds => RetryFaultKinds.All;

    public PieceBaselines Baselines { get; }

    public PieceCases Generate(CaseDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        return new RetryCases([.. Enumerable.Range(0, draw.Difficulty.Cases).Select(i => new RetryCaseBuilder(draw, i).Build())]);
    }
}
