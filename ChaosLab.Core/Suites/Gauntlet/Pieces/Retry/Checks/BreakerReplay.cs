using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>
/// The per-host circuit breakers of requirements.md replayed over the attempts the harness
/// recorded, across the calls of a case: when each breaker opened and for how long, which
/// attempts came while it was open, and the transitions per call. Judged from the record alone,
/// so it holds whatever the submission keeps in its state.
/// </summary>
internal sealed class BreakerReplay
{
    private readonly Dictionary<string, List<OpenWindow>> _windows = [];
    private readonly HashSet<Attempt> _openAfter = new(ReferenceEqualityComparer.Instance);
    private readonly List<BreakerViolation> _violations = [];
    private readonly Dictionary<int, int> _opened = [];
    private readonly Dictionary<int, int> _closed = [];

    public BreakerReplay(IReadOnlyList<CallView> calls)
    {
        var hosts = new Dictionary<string, HostBreaker>();
        foreach (var call in calls)
        {
            foreach (var attempt in call.Transport)
            {
                if (RetryRules.Host(PyValue.Get(attempt.Call.Argument, "url") is { } url && PyValue.IsString(url) ? url.GetValue<string>() : null) is not { } host)
                {
                    continue;
                }

                var breaker = hosts.TryGetValue(host, out var known) ? known : hosts[host] = new HostBreaker();
                Replay(call, attempt, host, breaker);
                if (breaker.OpenUntil is { } until && until > attempt.End)
                {
                    _openAfter.Add(attempt);
                }
            }
        }
    }

    /// <summary>Attempts made on a host while its breaker was open.</summary>
    public IReadOnlyList<BreakerViolation> Violations => _violations;

    public int Opened(int call) => _opened.GetValueOrDefault(call);

    public int Closed(int call) => _closed.GetValueOrDefault(call);

    /// <summary>The breaker of the attempt's host was open right after its answer.</summary>
    public bool IsOpenAfter(Attempt attempt) => _openAfter.Contains(attempt);

    /// <summary>The host's breaker opened at some time before <paramref name="until"/>.</summary>
    public bool HasOpened(string host, double until) => Windows(host).Any(w => w.From <= until);

    /// <summary>The host's breaker was in a cool-down at some time between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public bool WasOpenDuring(string host, double from, double to) => Windows(host).Any(w => w.From <= to && w.Until > from);

    /// <summary>The host's latest cool-down that began before <paramref name="time"/>.</summary>
    public OpenWindow? LastWindow(string host, double time) => Windows(host).LastOrDefault(w => w.From <= time);

    private List<OpenWindow> Windows(string host) => _windows.TryGetValue(host, out var windows) ? windows : [];

    private void Replay(CallView call, Attempt attempt, string host, HostBreaker breaker)
    {
        if (breaker.OpenUntil is { } until)
        {
            if (attempt.At < until - RetryRules.Epsilon)
            {
                // A breaker would not have let this attempt through; it changes nothing.
                _violations.Add(new BreakerViolation(call, attempt, host, _windows[host][^1]));
                return;
            }

            // The half-open probe: an answer closes the breaker, a failure opens it again.
            if (attempt.IsFailure)
            {
                Open(call, attempt, host, breaker);
            }
            else
            {
                breaker.OpenUntil = null;
                breaker.Failures = 0;
                _closed[call.Number] = Closed(call.Number) + 1;
            }

            return;
        }

        breaker.Failures = attempt.IsFailure ? breaker.Failures + 1 : 0;
        if (breaker.Failures >= RetryRules.BreakerThreshold)
        {
            Open(call, attempt, host, breaker);
        }
    }

    private void Open(CallView call, Attempt attempt, string host, HostBreaker breaker)
    {
        breaker.Failures = 0;
        breaker.OpenUntil = attempt.End + RetryRules.BreakerCoolDown;
        _opened[call.Number] = Opened(call.Number) + 1;
        if (!_windows.TryGetValue(host, out var windows))
        {
            _windows[host] = windows = [];
        }

        windows.Add(new OpenWindow(attempt.End, breaker.OpenUntil.Value, call.Number));
    }

    private sealed class HostBreaker
    {
        public int Failures { get; set; }

        public double? OpenUntil { get; set; }
    }
}

/// <param name="From">When the failure that opened it was answered.</param>
/// <param name="Until">When the cool-down ends.</param>
internal sealed record OpenWindow(double From, double Until, int Call);

internal sealed record BreakerViolation(CallView Call, Attempt Attempt, string Host, OpenWindow Window);
