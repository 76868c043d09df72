using System.Text.Json;

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>
/// The <c>fired_faults</c> column of a step: the kind of every fault decision that fired, in
/// order, comma-separated (kinds are identifiers); null when none fired. It keeps "which faults
/// fired where" a plain read for the analytics while the decisions themselves sit in the compressed body.
/// </summary>
public static class FiredFaultKinds
{
    private const char Separator = ',';

    /// <param name="faultsJson">The step's fault decisions (a JSON array of objects with "kind" and "fired").</param>
    public static string? FromDecisions(string faultsJson)
    {
        ArgumentNullException.ThrowIfNull(faultsJson);
        if (faultsJson == "[]")
        {
            return null;
        }

        using var decisions = JsonDocument.Parse(faultsJson);
        var fired = new List<string>();
        foreach (var decision in decisions.RootElement.EnumerateArray())
        {
            if (decision.TryGetProperty("fired", out var firedFlag) && firedFlag.ValueKind == JsonValueKind.True
                && decision.TryGetProperty("kind", out var kind) && kind.GetString() is { } kindName)
            {
                fired.Add(kindName);
            }
        }

        return fired.Count == 0 ? null : string.Join(Separator, fired);
    }

    public static IReadOnlyList<string> Split(string? column) =>
        column is null ? [] : column.Split(Separator);
}
