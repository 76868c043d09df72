using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Endpoints;

namespace ChaosLab.Web.Cli.Remote;

/// <summary>
/// A ChaosLab server's <c>/api/runs</c> as the command line uses it with <c>--server</c>: start a
/// run or an ablation there, follow it until it ends (cancelling it on Ctrl+C) and fetch its files.
/// The run is the server's: it plays in the server's process, shows live in its dashboard and is
/// resumed by the server after a restart.
/// </summary>
internal sealed class ServerRuns : IDisposable
{
    /// <summary>The environment variable the admin key is read from (never an argument: arguments show in process lists).</summary>
    public const string AdminKeyVariable = "CHAOSLAB_ADMIN_KEY";

    /// <summary>How long the server may be out of reach while a run is followed before the command gives up on it.</summary>
    private static readonly TimeSpan PatienceWhileFollowing = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a run's files after its final status (the server writes them just after).</summary>
    private static readonly TimeSpan PatienceForFiles = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly bool _hasKey;

    public ServerRuns(Uri server, string? adminKey, TimeProvider time)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        _hasKey = !string.IsNullOrEmpty(adminKey);
        if (_hasKey)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        }

        _time = time;
    }

    public Uri Server => _http.BaseAddress!;

    /// <summary>How often a followed run is read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where a person watches <paramref name="runId"/> live.</summary>
    public Uri DashboardAddress(string runId) => new(Server, "web/runs/" + Uri.EscapeDataString(runId));

    /// <exception cref="ServerRunException">The server refused the assignment or could not be reached.</exception>
    public async Task<RunResponse> StartAsync(string assignmentYaml, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, "api/runs", Body(assignmentYaml), WebJsonContext.Wire.RunResponse, cancellationToken);

    /// <exception cref="ServerRunException">The server refused the assignment or could not be reached.</exception>
    public async Task<IReadOnlyList<RunSummary>> StartAblationAsync(string assignmentYaml, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "api/runs/ablations", Body(assignmentYaml), WebJsonContext.Wire.RunListResponse, cancellationToken)).Items;

    /// <exception cref="ServerRunException">The run is unknown or the server could not be reached.</exception>
    public Task<RunResponse> GetAsync(string runId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, RunPath(runId), null, WebJsonContext.Wire.RunResponse, cancellationToken);

    /// <summary>
    /// Reads the run until its status is final, reporting each reading. When
    /// <paramref name="cancellationToken"/> fires the run is cancelled on the server and followed
    /// to its cancelled state, so the command ends with what the server recorded.
    /// </summary>
    /// <exception cref="ServerRunException">The server stayed out of reach for 30 s (the run goes on there).</exception>
    public async Task<RunSummary> FollowAsync(string runId, IProgress<RunProgress> progress, CancellationToken cancellationToken)
    {
        var cancelled = false;
        var lostSince = (DateTimeOffset?)null;
        while (true)
        {
            RunSummary run;
            try
            {
                run = (await GetAsync(runId, CancellationToken.None)).Run;
                lostSince = null;
            }
            catch (ServerRunException ex) when (ex.Unreachable)
            {
                lostSince ??= _time.GetUtcNow();
                if (_time.GetUtcNow() - lostSince > PatienceWhileFollowing)
                {
                    throw new ServerRunException(
                        $"Lost the server for {PatienceWhileFollowing.TotalSeconds:0} s ({ex.Message}). The run goes on there: {DashboardAddress(runId)}",
                        unreachable: true);
                }

                await Task.Delay(PollInterval * 2, _time, CancellationToken.None);
                continue;
            }

            progress.Report(new RunProgress(run, null));
            if (RunStatus.IsFinal(run.Status))
            {
                return run;
            }

            if (cancellationToken.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                await CancelAsync(runId);
            }

            await Task.Delay(PollInterval, _time, CancellationToken.None);
        }
    }

    /// <summary>
    /// Unpacks a finished run's files (runs.jsonl, overall.json, trajectories...) into
    /// <paramref name="directory"/>; false when the server wrote none.
    /// </summary>
    /// <exception cref="ServerRunException">The server could not be reached or kept refusing.</exception>
    public async Task<bool> DownloadFilesAsync(string runId, string directory, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + PatienceForFiles;
        while (true)
        {
            using var response = await SendRawAsync(HttpMethod.Get, RunPath(runId) + "/files", null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            // The final status is stored just before the files are written: 409 means "a moment".
            if (response.StatusCode == HttpStatusCode.Conflict && _time.GetUtcNow() < deadline)
            {
                await Task.Delay(PollInterval, _time, cancellationToken);
                continue;
            }

            await EnsureSuccessAsync(response, cancellationToken);
            using var zip = new MemoryStream();
            await response.Content.CopyToAsync(zip, cancellationToken);
            zip.Position = 0;
            Directory.CreateDirectory(directory);
            // Extraction refuses entries that would land outside the folder.
            await ZipFile.ExtractToDirectoryAsync(zip, directory, overwriteFiles: true, cancellationToken);
            return true;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Asks the server to stop the run; a run already over (409) is left as it is.</summary>
    private async Task CancelAsync(string runId)
    {
        using var response = await SendRawAsync(HttpMethod.Post, RunPath(runId) + "/cancel", null, CancellationToken.None);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, CancellationToken.None);
        }
    }

    private static string RunPath(string runId) => "api/runs/" + Uri.EscapeDataString(runId);

    private static JsonContent Body(string assignmentYaml) =>
        JsonContent.Create(new JsonObject { ["assignment"] = assignmentYaml }, WebJsonContext.Wire.JsonObject);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new ServerRunException($"{Server} answered {path} with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new ServerRunException($"{Server} answered {path} with something that is not a ChaosLab run ({ex.Message}). Is it a ChaosLab server?");
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ServerRunException($"Cannot reach {Server}: {ex.Message}", unreachable: true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerRunException($"{Server} did not answer within {_http.Timeout.TotalSeconds:0} s.", unreachable: true);
        }
    }

    /// <summary>Turns a refusal (problem+json) into its title, detail and errors by path, with what to do about a missing key.</summary>
    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? problem = null;
        try
        {
            problem = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page): the status line says enough.
        }

        var status = (int)response.StatusCode;
        var title = problem?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "Refused";
        var detail = problem?["detail"]?.GetValue<string>();
        var hint = response.StatusCode == HttpStatusCode.Unauthorized
            ? _hasKey
                ? $" The key in {AdminKeyVariable} was refused."
                : $" Set {AdminKeyVariable} to the server's admin key."
            : "";
        var errors = problem?["errors"] is JsonObject byPath
            ? byPath.SelectMany(p => (p.Value as JsonArray ?? []).Select(m => new ValidationError(p.Key, m?.GetValue<string>() ?? ""))).ToList()
            : [];
        // An invalid assignment's detail repeats its errors, which are printed by path.
        var said = errors.Count > 0 ? "" : detail;
        throw new ServerRunException($"{Server} refused ({status} {title}): {said}{hint}".TrimEnd(' ', ':'), errors: errors);
    }
}

/// <summary>A server refused a request, or could not be reached.</summary>
internal sealed class ServerRunException(string message, bool unreachable = false, IReadOnlyList<ValidationError>? errors = null) : Exception(message)
{
    /// <summary>The server did not answer (down, wrong address, timeout), as opposed to refusing.</summary>
    public bool Unreachable { get; } = unreachable;

    /// <summary>An invalid assignment's errors, by path.</summary>
    public IReadOnlyList<ValidationError> Errors { get; } = errors ?? [];
}
