using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// The clone dialog's form: which scenario to copy and the id of the new draft. Every new
/// scenario starts as a clone, so "new scenario" is this form with the source still to pick.
/// </summary>
public sealed class CloneScenarioForm
{
    public string? SourceId { get; set; }

    public string? NewId { get; set; }

    public string? Author { get; set; }

    /// <summary>Why the last attempt failed, in words (null before an attempt and after a success).</summary>
    public string? Failure { get; private set; }

    /// <summary>The field-level problems the studio listed with the failure (<c>/id: ...</c>).</summary>
    public IReadOnlyList<string> FailureDetails { get; private set; } = [];

    public bool Busy { get; private set; }

    /// <summary>A new id nobody is likely to hold yet, for the id field's first value.</summary>
    public static string SuggestedId(string sourceId, IEnumerable<string> takenIds)
    {
        var taken = takenIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidate = sourceId + "-copy";
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = $"{sourceId}-copy-{n}";
        }

        return candidate;
    }

    /// <summary>Asks the studio for the clone; the new draft, or null with <see cref="Failure"/> saying why.</summary>
    public async Task<ScenarioDraft?> SubmitAsync(IScenarioStudio studio, CancellationToken cancellationToken = default)
    {
        Failure = null;
        FailureDetails = [];
        if (string.IsNullOrWhiteSpace(SourceId))
        {
            Failure = "Pick the scenario to start from.";
            return null;
        }

        if (string.IsNullOrWhiteSpace(NewId))
        {
            Failure = "Give the new scenario an id.";
            return null;
        }

        Busy = true;
        try
        {
            var result = await studio.CloneAsync(SourceId, null, NewId.Trim(), string.IsNullOrWhiteSpace(Author) ? null : Author.Trim(), cancellationToken);
            if (result is { Succeeded: true, Value: { } draft })
            {
                return draft;
            }

            Failure = Describe(result.Failure!);
            FailureDetails = [.. result.Failure!.Errors.Select(e => e.Path.Length == 0 ? e.Message : $"{e.Path}: {e.Message}")];
            return null;
        }
        finally
        {
            Busy = false;
        }
    }

    public static string Describe(StudioFailure failure) => failure.Kind switch
    {
        StudioFailureKind.Conflict => $"That id is taken: {failure.Message}",
        StudioFailureKind.NotFound => $"Not found: {failure.Message}",
        StudioFailureKind.ReadOnly => $"Read-only: {failure.Message}",
        _ => $"Not a valid scenario: {failure.Message}",
    };
}
