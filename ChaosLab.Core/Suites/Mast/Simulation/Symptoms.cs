using System.Globalization;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// The operator-visible symptom texts of the simulated faults, worded as the design's fault table
/// says: log lines, review bodies and failure reasons. Agents that diagnose from observations
/// (the careful reference agent) read exactly these words, so they change only together with it.
/// </summary>
public static class Symptoms
{
    // Log lines.
    public static string NoTaskConstraints(string agent) => $"{agent}: role prompt names no task constraints";

    public static string ExpectedType(string consumer, string expected, string producer, string got) => $"{consumer}: expected {expected} from {producer}, got {got}";

    public static string RepeatedStep(string agent, string step, int time) => $"{agent}: repeated step '{step}' ({Ordinal(time)} time)";

    public static string HistoryTruncated(string agent, int historyTokens, int window, int dropped) =>
        $"{agent}: history {historyTokens} tokens exceeds window {window}; dropped {dropped} oldest tokens";

    public static string NoStopCondition(string agent) => $"{agent}: work done, no stop condition: continuing";

    public static string CannotParse(string consumer, string producer, string format, string error) => $"{consumer}: cannot parse input from {producer} as {format}: {error}";

    public static string DeclaringDone(string agent) => $"{agent}: declaring the work done";

    public static string ModelCallFailed(string agent, string status) => $"{agent}: model call failed: {status}";

    public static string TimedOut(string agent, int timeoutMs, bool unreachable) =>
        $"{agent}: model call timed out after {timeoutMs.ToString(CultureInfo.InvariantCulture)} ms{(unreachable ? " (upstream unreachable)" : "")}";

    public static string CircuitOpen(string agent) => $"{agent}: circuit open: call not attempted";

    public const string ServiceUnavailable = "503 Service Unavailable";

    public static string TooManyRequests(int retryAfterMs) => $"429 Too Many Requests (Retry-After: {retryAfterMs.ToString(CultureInfo.InvariantCulture)} ms)";

    // Review bodies.
    public static string ReviewedSections(int from, int to, int of) => $"reviewed sections {from}-{to} of {of}";

    public const string IndividualChecksPass = "all sections pass individual checks";

    // Failure reasons.
    public static string Violates(string constraint, string detail) => $"output violates {constraint}: {detail}";

    public static string Covers(int covered, int items) => $"output covers {covered} of {items} items";

    public static string TurnLimit(int turns) => $"run stopped at the turn limit ({turns} turns)";

    public static string InputUnreadable(string consumer) => $"{consumer} failed: input unreadable";

    public static string EffectMismatch(int step, string effect, string planned) => $"step {step}: effect '{effect}' does not match the plan's '{planned}'";

    public const string NotVerified = "final output was not verified";

    public static string DefectReached(int section, string what) => $"defect in section {section} reached the output: {what}";

    public static string Contradicts(int first, string says, int second, string saysOther) =>
        $"output contradicts itself: section {first} says {says}, section {second} says {saysOther}";

    /// <summary>A model call that still failed once the resilience pipeline gave up, with fallback abort.</summary>
    public static string AgentFailed(string agent, string error) => $"{agent} failed: {error}";

    public static string OverSlo(int latencyMs, int sloMs) =>
        $"run took {latencyMs.ToString(CultureInfo.InvariantCulture)} ms, over the SLO of {sloMs.ToString(CultureInfo.InvariantCulture)} ms";

    private static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch
        {
            1 => $"{n}st",
            2 => $"{n}nd",
            3 => $"{n}rd",
            _ => $"{n}th",
        },
    };
}
