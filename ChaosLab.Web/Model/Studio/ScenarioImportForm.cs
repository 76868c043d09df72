using System.Globalization;
using System.Text.Json;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using Microsoft.AspNetCore.Components.Forms;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// The import dialog's state: one chosen pack file (JSON or zip, at most
/// <see cref="ScenarioPackFormat.MaxBytes"/>), read with <see cref="ScenarioPackFormat"/> and
/// imported all or nothing; then what was added and left unchanged, or every reason it was refused.
/// </summary>
public sealed class ScenarioImportForm
{
    public const string Accept = ".json,.zip";

    private byte[]? _content;

    public IBrowserFile? File { get; private set; }

    public bool Busy { get; private set; }

    /// <summary>What the last import stored; null before a successful import.</summary>
    public ScenarioImportReport? Report { get; private set; }

    /// <summary>Why the file or the pack was refused (nothing was imported); null otherwise.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Each problem behind <see cref="Refusal"/>, with its entry and field.</summary>
    public IReadOnlyList<PackProblem> Problems { get; private set; } = [];

    public bool CanImport => _content is not null && Refusal is null && Report is null && !Busy;

    /// <summary>
    /// Takes the chosen file and reads it at once (the browser's file can go once the input
    /// changes); one over the size limit is refused before anything is read.
    /// </summary>
    public async Task ChooseAsync(IBrowserFile? file, CancellationToken cancellationToken = default)
    {
        File = file;
        _content = null;
        Report = null;
        Refusal = null;
        Problems = [];
        if (file is null)
        {
            return;
        }

        if (file.Size > ScenarioPackFormat.MaxBytes)
        {
            Refuse($"{file.Name} is {Bytes(file.Size)}; a pack may hold at most {Bytes(ScenarioPackFormat.MaxBytes)} ({Size(ScenarioPackFormat.MaxBytes)}). Split it into smaller packs.", []);
            return;
        }

        Busy = true;
        try
        {
            // The limit is the browser stream's too: a file that grew after it was chosen stops there.
            await using var stream = file.OpenReadStream(ScenarioPackFormat.MaxBytes, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            _content = buffer.ToArray();
        }
        catch (IOException exception)
        {
            Refuse($"{file.Name} could not be read: {exception.Message}", []);
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>Imports the chosen pack as <paramref name="author"/>; true when the store now holds all of it.</summary>
    public async Task<bool> ImportAsync(IScenarioStudio studio, string author, CancellationToken cancellationToken = default)
    {
        if (!CanImport)
        {
            return false;
        }

        var pack = ScenarioPackFormat.Read(_content!);
        if (!pack.Succeeded)
        {
            Refuse(pack.Failure!.Message, Describe(pack.Failure.Errors, []));
            return false;
        }

        Busy = true;
        try
        {
            var result = await studio.ImportAsync(pack.Value!, author, cancellationToken);
            if (!result.Succeeded)
            {
                Refuse(result.Failure!.Message, Describe(result.Failure.Errors, pack.Value!.Documents));
                return false;
            }

            Report = result.Value;
            return true;
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>"1 version added" / "3 versions added".</summary>
    public static string Count(int count, string what) => count == 1 ? $"1 version {what}" : $"{count.ToString(CultureInfo.InvariantCulture)} versions {what}";

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB";

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    /// <summary>
    /// The errors with their entry split off: a path whose first segment is a number names the
    /// pack entry (<c>/2/world/targets</c>: entry 2, field <c>/world/targets</c>); any other path is the pack's own.
    /// </summary>
    public static IReadOnlyList<PackProblem> Describe(IReadOnlyList<ScenarioError> errors, IReadOnlyList<JsonElement> documents) =>
        [.. errors.Select(error =>
        {
            var segments = error.Path.Split('/', 3);
            if (segments.Length >= 2 && int.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return new PackProblem(index, IdOf(documents, index), segments.Length == 3 ? "/" + segments[2] : "", error.Message);
            }

            return new PackProblem(null, null, error.Path, error.Message);
        })];

    private void Refuse(string message, IReadOnlyList<PackProblem> problems)
    {
        Refusal = message;
        Problems = problems;
    }

    private static string? IdOf(IReadOnlyList<JsonElement> documents, int index) =>
        index < documents.Count && documents[index] is { ValueKind: JsonValueKind.Object } document
        && document.TryGetProperty(ScenarioFields.Id, out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
}

/// <summary>One reason a pack was refused.</summary>
/// <param name="Entry">The entry's index in the pack (from 0, as in the API's paths); null for the pack as a whole.</param>
/// <param name="ScenarioId">The entry's id, when it names one.</param>
/// <param name="Field">The JSON Pointer of the field within the entry (or the pack); empty for the whole entry.</param>
public sealed record PackProblem(int? Entry, string? ScenarioId, string Field, string Message);
