namespace ChaosLab.Core.Faults;

/// <summary>What a fault does to a call. Transport kinds fail or slow a call; data kinds change what it returns.</summary>
public enum FaultKind
{
    Timeout,
    RateLimit,
    ServerError,
    Latency,
    StaleData,
    FieldDrop,
    Truncation,
    ValueCorruption,
    SchemaDrift,
    ConflictingDuplicate,
    PoisonedContent,
}

public static class FaultKinds
{
    /// <summary>Kinds that make sense for any call (no payload knowledge needed).</summary>
    public static IReadOnlyList<FaultKind> Transport { get; } = [FaultKind.Timeout, FaultKind.RateLimit, FaultKind.ServerError, FaultKind.Latency];

    public static IReadOnlyList<FaultKind> All { get; } = Enum.GetValues<FaultKind>();

    /// <summary>The snake_case name used in records and scenario files.</summary>
    public static string Name(this FaultKind kind) => kind switch
    {
        FaultKind.Timeout => "timeout",
        FaultKind.RateLimit => "rate_limit",
        FaultKind.ServerError => "server_error",
        FaultKind.Latency => "latency",
        FaultKind.StaleData => "stale_data",
        FaultKind.FieldDrop => "field_drop",
        FaultKind.Truncation => "truncation",
        FaultKind.ValueCorruption => "value_corruption",
        FaultKind.SchemaDrift => "schema_drift",
        FaultKind.ConflictingDuplicate => "conflicting_duplicate",
        FaultKind.PoisonedContent => "poisoned_content",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool IsTransport(this FaultKind kind) => kind is FaultKind.Timeout or FaultKind.RateLimit or FaultKind.ServerError or FaultKind.Latency;
}
