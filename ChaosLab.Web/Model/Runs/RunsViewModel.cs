using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Model.Runs;

/// <summary>
/// The runs page: every run newest first, kept live (<see cref="RunLiveUpdates"/>), and the
/// "New run" form with the values each of its fields can take. Refreshes that arrive off the UI
/// thread are applied through the dispatcher given to <see cref="UseDispatcher"/>.
/// </summary>
public sealed class RunsViewModel(RunStore store, IEvaluationRuns runs, RunAgentCatalog agents, SuiteCatalog catalog, TimeProvider timeProvider) : IDisposable
{
    /// <summary>Where the dashboard's runs come from, as recorded with each run.</summary>
    public const string Origin = "web";

    private Func<Action, Task> _dispatch = work =>
    {
        work();
        return Task.CompletedTask;
    };

    private readonly List<string> _compare = [];
    private RunLiveUpdates? _live;

    /// <summary>Raised, on the dispatcher, after a live refresh changed the rows.</summary>
    public event Action? Changed;

    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public IReadOnlyList<RunSummary> Rows { get; private set; } = [];

    public NewRunForm Form { get; } = new();

    /// <summary>What stopped the last start: the form's or the service's errors, each with its path.</summary>
    public IReadOnlyList<ValidationError> FormErrors { get; private set; } = [];

    public bool Starting { get; private set; }

    public IReadOnlyList<RunAgentOption> Agents { get; } = agents.Options();

    /// <summary>Why the server's model profiles are missing from <see cref="Agents"/>, if they are.</summary>
    public string? ProfilesProblem { get; } = agents.ProfilesProblem();

    public IReadOnlyList<string> Suites { get; } = [.. catalog.Suites.Select(s => s.Name)];

    /// <summary>The tiers of the chosen suites (of every suite before one is chosen), easiest first.</summary>
    public IReadOnlyList<string> Tiers => [.. ChosenSuites.SelectMany(s => s.Tiers).Distinct(StringComparer.Ordinal)];

    /// <summary>The scenarios of the chosen suites and tiers that can be played sealed.</summary>
    public IReadOnlyList<ScenarioDescriptor> Scenarios =>
        [.. ChosenSuites.SelectMany(s => s.Scenarios)
            .Where(s => !s.FixedAnswers && (Form.Tiers.Count == 0 || Form.Tiers.Contains(s.Tier)))];

    /// <summary>The clock the page's durations of running runs are read against.</summary>
    public DateTimeOffset Now => timeProvider.GetUtcNow();

    private IEnumerable<ISuite> ChosenSuites => Form.Suites.Count == 0 ? catalog.Suites : catalog.Suites.Where(s => Form.Suites.Contains(s.Name));

    /// <summary>The runs ticked for comparison, oldest tick first (at most two).</summary>
    public IReadOnlyList<string> CompareSelection => _compare;

    /// <summary>Where the comparison of the two ticked runs is (the first ticked is a), or null until two are.</summary>
    public string? CompareHref => _compare.Count == 2 ? RunFormat.CompareHref(_compare[0], _compare[1]) : null;

    /// <summary>Ticks or unticks a run for comparison; a third tick replaces the oldest.</summary>
    public void ToggleCompare(string runId)
    {
        if (!_compare.Remove(runId))
        {
            _compare.Add(runId);
            if (_compare.Count > 2)
            {
                _compare.RemoveAt(0);
            }
        }
    }

    /// <summary>Marshals live refreshes, e.g. a component's <c>InvokeAsync</c>.</summary>
    public void UseDispatcher(Func<Action, Task> dispatch) => _dispatch = dispatch ?? throw new ArgumentNullException(nameof(dispatch));

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var rows = await store.ListAsync(cancellationToken: cancellationToken);
            Apply(rows);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The runs could not be read: {ex.Message}";
        }
    }

    /// <summary>Follows every run from now on, until <see cref="Dispose"/>.</summary>
    public void StartLive() => _live ??= new RunLiveUpdates(runs, timeProvider, _ => true, RefreshAsync);

    /// <summary>Starts the form's run (or ablation); false with <see cref="FormErrors"/> set when nothing started.</summary>
    /// <returns>The ids of the runs started, in the order they were created.</returns>
    public async Task<IReadOnlyList<string>> StartAsync(CancellationToken cancellationToken = default)
    {
        var built = Form.Build(Agents, catalog);
        if (!built.Succeeded)
        {
            FormErrors = built.Errors;
            return [];
        }

        var assignment = agents.ForServer(built.Value!);
        if (agents.Refusal(assignment.Agent) is { } refusal)
        {
            FormErrors = [new ValidationError("agent", refusal)];
            return [];
        }

        Starting = true;
        try
        {
            IReadOnlyList<RunSummary> created;
            if (Form.Ablation)
            {
                var ablation = await runs.CreateAblationAsync(assignment, Origin, cancellationToken);
                FormErrors = ablation.Errors;
                created = ablation.Value ?? [];
            }
            else
            {
                var run = await runs.CreateAsync(assignment, Origin, cancellationToken);
                FormErrors = run.Errors;
                created = run.Value is { } summary ? [summary] : [];
            }

            foreach (var run in created)
            {
                runs.Start(run.Id);
            }

            await LoadAsync(cancellationToken);
            return [.. created.Select(r => r.Id)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FormErrors = [new ValidationError("", $"The run could not be started: {ex.Message}")];
            return [];
        }
        finally
        {
            Starting = false;
        }
    }

    /// <summary>The errors of one form field ("" for those of the whole assignment or paths the form has no field for).</summary>
    public IEnumerable<string> ErrorsOf(string field) => FormErrors.Where(e => FieldOf(e.Path) == field).Select(e => e.Message);

    /// <summary>The form field an error path belongs to: its first segment when the form has such a field, else "".</summary>
    public static string FieldOf(string path)
    {
        var first = path.Split('.', '[', '/')[0];
        return first is "name" or "agent" or "suites" or "seeds" or "trials" or "concurrency" or "top_k" ? first : "";
    }

    private async Task RefreshAsync()
    {
        try
        {
            var rows = await store.ListAsync();
            await _dispatch(() => Apply(rows));
            await _dispatch(() => Changed?.Invoke());
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            // The next poll tries again; the page keeps what it showed.
            await _dispatch(() => Error = $"The runs could not be refreshed: {ex.Message}");
        }
    }

    private void Apply(IReadOnlyList<RunSummary> rows)
    {
        Rows = rows;
        Error = null;
        State = rows.Count == 0 ? LoadState.Empty : LoadState.Ready;
    }

    public void Dispose()
    {
        _live?.Dispose();
        _live = null;
    }
}
