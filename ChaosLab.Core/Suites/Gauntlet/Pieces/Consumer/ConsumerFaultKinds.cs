using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>The adversarial delivery classes of the consumer piece, each belonging to one requirement tier.</summary>
public static class ConsumerFaultKinds
{
    public static FaultKind DuplicateDelivery { get; } = new("consumer_duplicate_delivery", FaultFamily.Data,
        "An event delivered again (at-least-once delivery), later in the same batch or in a later one.");

    public static FaultKind MalformedDelivery { get; } = new("consumer_malformed_delivery", FaultFamily.Shape,
        "A delivery with a missing field or a wrong type (a NaN, infinite, boolean or numeric-string amount, a string seq, not a dict), some of them corrupted copies of an event sent before its valid copy.");

    public static FaultKind ReorderedDelivery { get; } = new("consumer_reordered_delivery", FaultFamily.Data,
        "An event delivered after later events of its account, within the reorder window, in the same batch or the next.");

    public static FaultKind LateEvent { get; } = new("consumer_late_event", FaultFamily.Data,
        "An event delivered after its account moved a whole reorder window past it, so it can only be dead-lettered.");

    public static FaultKind DeliveryBurst { get; } = new("consumer_delivery_burst", FaultFamily.Data,
        "A batch of hundreds of events in which one account's gap overflows the reorder window.");

    public static FaultKind CommitFailure { get; } = new("consumer_commit_failure", FaultFamily.Transport,
        "The offset commit fails transiently, or on several attempts in a row (an outage of the offsets store).");

    public static IReadOnlyList<FaultKind> All { get; } = [DuplicateDelivery, MalformedDelivery, ReorderedDelivery, LateEvent, DeliveryBurst, CommitFailure];

    /// <summary>The requirement tier a kind's inputs test.</summary>
    public static int TierOf(FaultKind kind) =>
        kind == DuplicateDelivery || kind == MalformedDelivery ? 1
        : kind == ReorderedDelivery || kind == LateEvent ? 2
        : kind == DeliveryBurst || kind == CommitFailure ? 3
        : throw new ArgumentOutOfRangeException(nameof(kind), kind.Name, "Not a consumer fault kind.");
}
