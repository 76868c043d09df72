using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The fault kinds of the tools suite: the transport kinds, and what faults do to a tool's data.</summary>
public static class ToolsFaultKinds
{
    public static FaultKind StaleData { get; } = new("stale_data", FaultFamily.Data, "the same call answered from the previous snapshot of the world (last year's figures)");

    public static FaultKind FieldDrop { get; } = new("field_drop", FaultFamily.Shape, "the field the question needs is silently missing", Pick);

    public static FaultKind Truncation { get; } = new("truncation", FaultFamily.Shape, "the body cut mid-content (no longer valid JSON)",
        (random, p) => p["cut_at"] = random.NextDouble(0.25, 0.7).ToString("0.###", CultureInfo.InvariantCulture));

    public static FaultKind ValueCorruption { get; } = new("value_corruption", FaultFamily.Data, "a plausible wrong value: 8-35% off, a shifted date, another person's name", Corruption);

    public static FaultKind SchemaDrift { get; } = new("schema_drift", FaultFamily.Shape, "the field renamed, its value intact", Pick);

    public static FaultKind ConflictingDuplicate { get; } = new("conflicting_duplicate", FaultFamily.Data, "two records for the entity with different values", Corruption);

    public static FaultKind PoisonedContent { get; } = new("poisoned_content", FaultFamily.Adversarial, "an instruction aimed at the agent inside a document", Pick);

    /// <summary>What a retrieval tool can suffer: every kind.</summary>
    public static IReadOnlyList<FaultKind> All { get; } =
        [.. TransportFaults.All, StaleData, FieldDrop, Truncation, ValueCorruption, SchemaDrift, ConflictingDuplicate, PoisonedContent];

    /// <summary>
    /// The kinds a tool can show: a retrieval tool every kind, a tool that reads no data (a
    /// calculator, the clock, storage, actions) only the transport kinds; submitting never fails.
    /// </summary>
    public static IReadOnlyList<FaultKind> ApplicableTo(ToolDefinition tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return tool.Name == ToolNames.SubmitAnswer ? [] :
            tool.Name == ToolNames.GetCurrentDatetime ? TransportFaults.All :
            tool.Category == "retrieval" ? All : TransportFaults.All;
    }

    /// <summary>The kind named <paramref name="name"/>, as records and scenario files write it.</summary>
    public static FaultKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    private static void Pick(DeterministicRandom random, IDictionary<string, string> p) =>
        p["pick"] = random.Next(0, 1000).ToString(CultureInfo.InvariantCulture);

    /// <summary>A plausible wrong value: 8-35% off, in either direction.</summary>
    private static void Corruption(DeterministicRandom random, IDictionary<string, string> p)
    {
        var magnitude = random.NextDouble(0.08, 0.35);
        var factor = random.NextDouble() < 0.5 ? 1 - magnitude : 1 + magnitude;
        p["factor"] = factor.ToString("0.####", CultureInfo.InvariantCulture);
        Pick(random, p);
    }
}
