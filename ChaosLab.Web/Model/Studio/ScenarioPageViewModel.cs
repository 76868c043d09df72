using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// One scenario in the studio: its list row (status, versions), the document an author works on
/// (the pending draft if there is one, else the latest published or built-in version), and
/// whether that document can be previewed.
/// </summary>
public sealed class ScenarioPageViewModel(IScenarioStudio studio, ScenarioLibrary library)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public string Id { get; private set; } = "";

    public StudioScenarioRow? Row { get; private set; }

    /// <summary>The pending draft; null when the scenario has none.</summary>
    public ScenarioDraft? Draft { get; private set; }

    /// <summary>The shown document, indented.</summary>
    public string DocumentText { get; private set; } = "";

    /// <summary>The document as the preview takes it; null for a draft with errors (its shared fields may be missing).</summary>
    public ScenarioDocument? Document { get; private set; }

    public IReadOnlyList<ScenarioError> Errors => Draft?.Errors ?? [];

    public bool IsValid => Document is not null;

    public string? InvalidReason => Errors.Count == 0 ? null
        : $"The draft has {Errors.Count} {(Errors.Count == 1 ? "error" : "errors")}; the preview plays only a valid scenario.";

    public async Task LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        Id = id;
        State = LoadState.Loading;
        try
        {
            var rows = await studio.ListAsync(new StudioQuery(Text: id), cancellationToken);
            Row = rows.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
            Draft = null;
            Document = null;
            if (Row is null)
            {
                State = LoadState.Empty;
                return;
            }

            if (Row.Status == ScenarioStatus.Draft && await studio.GetDraftAsync(Row.Id, cancellationToken) is { Succeeded: true, Value: { } draft })
            {
                Draft = draft;
                DocumentText = JsonText.Format(draft.Document.GetRawText());
                Document = draft.Errors.Count == 0 ? ScenarioDocument.From(draft.Document, ScenarioSource.Stored) : null;
            }
            else if (await library.FindAsync(Row.Id, null, cancellationToken) is { } published)
            {
                DocumentText = JsonText.Format(published.Content.GetRawText());
                Document = published;
            }

            State = LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The scenario '{id}' could not be read: {ex.Message}";
        }
    }

    /// <summary>One published version's document, for the history's diff.</summary>
    public Task<ScenarioDocument?> LoadVersionAsync(int version, CancellationToken cancellationToken) =>
        library.FindAsync(Id, version, cancellationToken);
}
