using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// The event consumer: <c>consume(deliveries, state)</c> applies an at-least-once broker's
/// account events to balances. As deployed it applies duplicates twice, applies in arrival
/// order, crashes on malformed rows, remembers every id for ever and retries its offset commit
/// for ever.
/// </summary>
public sealed class ConsumerPiece : IFragilePiece
{
    private const string Folder = "Consumer";

    private ConsumerPiece()
    {
    }

    public static ConsumerPiece Instance { get; } = new();

    public string Id => "consumer";

    public string Title => "Event consumer: exactly-once balances from at-least-once deliveries";

    public string Guidance =>
        "consume(deliveries, state) applies account events from an at-least-once broker to running balances and commits the consumed offsets. "
        + "In production it double-counts redelivered events, applies events in arrival order, crashes on malformed rows, keeps every event id it has seen for ever "
        + "and retries a failing commit without end. Read the source and the requirements, probe it in the sandbox, run the examples, and submit a hardened consume.";

    public string EntryPoint => "consume";

    public IReadOnlyList<string> Dependencies { get; } = [ResilienceChecks.Dependency];

    public string OriginalSource { get; } = PieceResources.Read(Folder, "original.py");

    public string Requirements { get; } = PieceResources.Read(Folder, "requirements.md");

    public IReadOnlyList<RequirementTier> RequirementTiers { get; } =
    [
        new(1, "data integrity", "Malformed deliveries are rejected and counted, every event is applied exactly once across calls, and balances are exact."),
        new(2, "ordering", "Each account's events are applied in seq order: gaps wait in a bounded reorder buffer, and events that arrive after their account moved a window past them are dead-lettered."),
        new(3, "resilience", "The state stays bounded, the offset commit is retried with backoff and a bound without ever raising, and the telemetry reports exactly what happened."),
    ];

    public IReadOnlyList<FaultKind> FaultKinds => ConsumerFaultKinds.All;

    public PieceBaselines Baselines { get; } = new(
        PieceResources.Read(Folder, "quick_patch.py"),
        PieceResources.Read(Folder, "tier1_fix.py"),
        PieceResources.Read(Folder, "keyword_stuffed.py"));

    public PieceCases Generate(CaseDraw draw) => new ConsumerCases(ConsumerCaseGenerator.Generate(draw));
}
