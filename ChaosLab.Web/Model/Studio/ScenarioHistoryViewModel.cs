using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// A scenario's published versions and the diff of two of them. Versions are compared as
/// canonical JSON laid out one value per line, so the diff shows what changed and never how
/// the author happened to format or order the document.
/// </summary>
public sealed class ScenarioHistoryViewModel(IScenarioStudio studio, Func<int, CancellationToken, Task<ScenarioDocument?>> loadVersion)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<ScenarioVersionInfo> Versions { get; private set; } = [];

    public int? OldVersion { get; private set; }

    public int? NewVersion { get; private set; }

    /// <summary>The compared pair's diff (collapsed around the changes); empty when they are the same.</summary>
    public IReadOnlyList<DiffLine> Diff { get; private set; } = [];

    /// <summary><see cref="Diff"/> as rows of old and new side by side.</summary>
    public IReadOnlyList<DiffRow> DiffRows { get; private set; } = [];

    public LoadState DiffState { get; private set; } = LoadState.Empty;

    public string? DiffError { get; private set; }

    /// <summary>Loads the versions and compares the latest with the one before it.</summary>
    public async Task LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        State = LoadState.Loading;
        try
        {
            Versions = await studio.VersionsAsync(id, cancellationToken);
            State = Versions.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The versions of '{id}' could not be read: {ex.Message}";
            return;
        }

        if (Versions.Count >= 2)
        {
            await CompareAsync(Versions[^2].Version, Versions[^1].Version, cancellationToken);
        }
    }

    public async Task CompareAsync(int oldVersion, int newVersion, CancellationToken cancellationToken = default)
    {
        (OldVersion, NewVersion) = (oldVersion, newVersion);
        DiffState = LoadState.Loading;
        try
        {
            var documents = await Task.WhenAll(loadVersion(oldVersion, cancellationToken), loadVersion(newVersion, cancellationToken));
            if (documents.Any(d => d is null))
            {
                DiffState = LoadState.Failed;
                DiffError = $"Version {(documents[0] is null ? oldVersion : newVersion)} could not be found.";
                return;
            }

            var lines = TextDiff.Lines(CanonicalText(documents[0]!), CanonicalText(documents[1]!));
            Diff = lines.Any(l => l.Kind != DiffKind.Same) ? TextDiff.Collapse(lines) : [];
            DiffRows = TextDiff.SideBySide(Diff);
            DiffState = Diff.Count == 0 ? LoadState.Empty : LoadState.Ready;
            DiffError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DiffState = LoadState.Failed;
            DiffError = $"The versions could not be compared: {ex.Message}";
        }
    }

    /// <summary>A document's canonical JSON (sorted keys), one value per line.</summary>
    public static string CanonicalText(ScenarioDocument document) => JsonText.Format(CanonicalJson.Serialize(document.Content));
}
