using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// One scenario in the studio: its list row (status, versions), the document an author works on
/// (the pending draft if there is one, else the latest published or built-in version), the
/// draft's errors as the author edits, and the authoring actions (save, publish, discard, edit).
/// </summary>
public sealed class ScenarioPageViewModel(IScenarioStudio studio, ScenarioLibrary library)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public string Id { get; private set; } = "";

    public StudioScenarioRow? Row { get; private set; }

    /// <summary>The pending draft as last saved; null when the scenario has none.</summary>
    public ScenarioDraft? Draft { get; private set; }

    /// <summary>
    /// The shown document: the draft with the author's unsaved edits, or the published version.
    /// A new object after every load (the editor starts over), the editor's own object after an edit.
    /// </summary>
    public JsonObject Document { get; private set; } = [];

    /// <summary>The suite's JSON Schema, for the editor.</summary>
    public JsonObject? Schema { get; private set; }

    /// <summary>The shown document's errors: the draft's at load, then those of the latest validation.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; private set; } = [];

    /// <summary>The edited draft differs from the one last saved.</summary>
    public bool IsDirty { get; private set; }

    /// <summary>What the last action did ("Saved (revision 4)."), for the author to see.</summary>
    public string? Notice { get; private set; }

    /// <summary>Why the last action failed; a conflict says so and how to get the other save.</summary>
    public string? ActionError { get; private set; }

    /// <summary>The last action failed because someone else saved or published first.</summary>
    public bool IsConflict { get; private set; }

    public bool Busy { get; private set; }

    public bool IsDraft => Draft is not null;

    /// <summary>The document as the preview takes it; null while it has errors (its shared fields may be missing).</summary>
    public ScenarioDocument? PreviewDocument { get; private set; }

    public bool IsValid => PreviewDocument is not null;

    public string? InvalidReason => Errors.Count == 0 ? null
        : $"The draft has {ErrorCount(Errors.Count)}; the preview plays only a valid scenario.";

    /// <summary>Why Publish is off, or null when it is on.</summary>
    public string? PublishBlockedReason => Errors.Count > 0 ? $"Fix {ErrorCount(Errors.Count)} to publish." : null;

    /// <summary>The version resets play, if any (a built-in's own, a published scenario's latest).</summary>
    public bool IsPlayable => Row is { Status: ScenarioStatus.BuiltIn } or { PublishedVersion: not null };

    public async Task LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        Id = id;
        State = LoadState.Loading;
        try
        {
            var rows = await studio.ListAsync(new StudioQuery(Text: id), cancellationToken);
            Row = rows.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
            Draft = null;
            Errors = [];
            IsDirty = false;
            PreviewDocument = null;
            if (Row is null)
            {
                State = LoadState.Empty;
                return;
            }

            Schema = library.Format(Row.Suite)?.Schema;
            if (Row.Status == ScenarioStatus.Draft && await studio.GetDraftAsync(Row.Id, cancellationToken) is { Succeeded: true, Value: { } draft })
            {
                ShowDraft(draft);
            }
            else if (await library.FindAsync(Row.Id, null, cancellationToken) is { } published)
            {
                Document = JsonNode.Parse(published.Content.GetRawText())!.AsObject();
                PreviewDocument = published;
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

    /// <summary>Takes the editor's new document; its errors come with the next <see cref="Validate"/>.</summary>
    public void Edit(JsonObject document)
    {
        Document = document;
        IsDirty = true;
        Notice = null;
    }

    /// <summary>The edited document's schema and suite errors (cheap enough to run on every pause in typing).</summary>
    public void Validate()
    {
        var element = JsonSerializer.SerializeToElement(Document);
        Errors = studio.Validate(element);
        PreviewDocument = Errors.Count == 0 ? ScenarioDocument.From(element, ScenarioSource.Stored) : null;
    }

    /// <summary>
    /// The answer key the edited document derives for <paramref name="seed"/> (empty for a suite
    /// without one, and while the document cannot be built).
    /// </summary>
    public IReadOnlyList<ScenarioAnswerSlot> AnswerKey(long seed) =>
        Row is not null && library.Format(Row.Suite) is IScenarioAnswerKeys keys ? keys.AnswerKey(JsonSerializer.SerializeToElement(Document), seed) : [];

    /// <summary>Saves the edited draft over the revision it was loaded at; a conflict leaves the edits in place.</summary>
    public Task<bool> SaveAsync(string author, CancellationToken cancellationToken = default) =>
        RunAsync(() => SaveCoreAsync(author, cancellationToken));

    /// <summary>Saves pending edits, then publishes the draft; the page then shows the new version.</summary>
    public Task<bool> PublishAsync(string author, CancellationToken cancellationToken = default) => RunAsync(async () =>
    {
        if (IsDirty && !await SaveCoreAsync(author, cancellationToken))
        {
            return false;
        }

        var result = await studio.PublishAsync(Id, Draft?.Revision, author, cancellationToken);
        if (!Succeeded(result))
        {
            return false;
        }

        await LoadAsync(Id, cancellationToken);
        Notice = $"Published version {result.Value!.Version}.";
        return true;
    });

    /// <summary>Throws the draft away; the page then shows the published version, or nothing when there is none.</summary>
    public Task<bool> DiscardAsync(CancellationToken cancellationToken = default) => RunAsync(async () =>
    {
        if (!Succeeded(await studio.DeleteDraftAsync(Id, cancellationToken)))
        {
            return false;
        }

        await LoadAsync(Id, cancellationToken);
        Notice = "Draft discarded.";
        return true;
    });

    /// <summary>Opens (or reopens) the draft of the next version of a published scenario.</summary>
    public Task<bool> EditPublishedAsync(string author, CancellationToken cancellationToken = default) => RunAsync(async () =>
    {
        var result = await studio.EditAsync(Id, author, cancellationToken);
        if (!Succeeded(result))
        {
            return false;
        }

        await LoadAsync(Id, cancellationToken);
        Notice = $"Editing a draft of version {result.Value!.Version}.";
        return true;
    });

    /// <summary>Every scenario, for the clone dialog's choice of a free id.</summary>
    public Task<IReadOnlyList<StudioScenarioRow>> AllAsync(CancellationToken cancellationToken = default) =>
        studio.ListAsync(new StudioQuery(), cancellationToken);

    /// <summary>One published version's document, for the history's diff.</summary>
    public Task<ScenarioDocument?> LoadVersionAsync(int version, CancellationToken cancellationToken) =>
        library.FindAsync(Id, version, cancellationToken);

    private async Task<bool> SaveCoreAsync(string author, CancellationToken cancellationToken)
    {
        var result = await studio.SaveDraftAsync(Id, JsonSerializer.SerializeToElement(Document), Draft?.Revision, author, cancellationToken);
        if (!Succeeded(result))
        {
            return false;
        }

        Draft = result.Value!;
        Errors = Draft.Errors;
        IsDirty = false;
        Notice = $"Saved (revision {Draft.Revision}).";
        return true;
    }

    private void ShowDraft(ScenarioDraft draft)
    {
        Draft = draft;
        Document = JsonNode.Parse(draft.Document.GetRawText())!.AsObject();
        Errors = draft.Errors;
        PreviewDocument = draft.Errors.Count == 0 ? ScenarioDocument.From(draft.Document, ScenarioSource.Stored) : null;
    }

    private async Task<bool> RunAsync(Func<Task<bool>> action)
    {
        Busy = true;
        Notice = null;
        ActionError = null;
        IsConflict = false;
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ActionError = $"The studio could not do that: {ex.Message}";
            return false;
        }
        finally
        {
            Busy = false;
        }
    }

    private bool Succeeded<T>(StudioResult<T> result)
    {
        if (result.Failure is not { } failure)
        {
            return true;
        }

        IsConflict = failure.Kind == StudioFailureKind.Conflict;
        ActionError = failure.Kind switch
        {
            StudioFailureKind.Conflict => $"Conflict: someone else saved or published this draft since you opened it ({failure.Message}). Your edits are still here; reload to see theirs (your edits are then lost).",
            StudioFailureKind.Invalid => $"Not published: {ErrorCount(failure.Errors.Count)} in the saved draft.",
            _ => CloneScenarioForm.Describe(failure),
        };
        if (failure.Kind == StudioFailureKind.Invalid && failure.Errors.Count > 0)
        {
            Errors = failure.Errors;
            PreviewDocument = null;
        }

        return false;
    }

    private static string ErrorCount(int count) => count == 1 ? "1 error" : $"{count} errors";
}
