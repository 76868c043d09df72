using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// The seed's sensor pipeline, <c>process_batch(events, state)</c>: it buffers every event, crashes
/// on strings and flat segments, lets NaN through, trims minority patterns with a z-score, and
/// retries publishing for ever. Graded on hidden batches drawn per seed.
/// </summary>
public sealed class StreamPiece : IFragilePiece
{
    private const string Folder = "Stream";

    private StreamPiece()
    {
    }

    public static StreamPiece Instance { get; } = new();

    public string Id => "stream";

    public string Title => "Sensor stream: process_batch";

    public string Guidance =>
        "process_batch(events, state) ingests a batch of sensor readings, keeps running statistics and publishes the clean readings downstream. " +
        "In production it crashes on strings, lets NaN through, loses readings, divides by zero on flat sensors, trims real patterns, buffers without bound and retries a dead sink for ever. " +
        "Read the source and the requirements, probe it in the sandbox, run the examples, and submit a hardened process_batch.";

    public string EntryPoint => "process_batch";

    public IReadOnlyList<string> Dependencies { get; } = ["publish"];

    public string OriginalSource { get; } = PieceResources.Read(Folder, "original.py");

    public string Requirements { get; } = PieceResources.Read(Folder, "requirements.md");

    public IReadOnlyList<RequirementTier> RequirementTiers { get; } =
    [
        new(1, "data integrity", "Only finite real numbers are emitted, every valid reading exactly once, in timestamp order across calls; drifted and late readings are dropped."),
        new(2, "statistical stability", "Per-sensor stats over a bounded window without dividing by zero; isolated spikes removed by a median/MAD rule while a sensor's sustained second level is kept."),
        new(3, "resilience", "A bounded state, publish retried at most three times with backoff, unpublished readings queued (the oldest shed), never raising, and telemetry that tells the truth."),
    ];

    public IReadOnlyList<FaultKind> FaultKinds => StreamFaultKinds.All;

    public PieceBaselines Baselines { get; } = new(
        PieceResources.Read(Folder, "quick_patch.py"),
        PieceResources.Read(Folder, "tier1_fix.py"),
        PieceResources.Read(Folder, "keyword_stuffed.py"));

    public PieceCases Generate(CaseDraw draw) => StreamCaseGenerator.Generate(draw);
}
