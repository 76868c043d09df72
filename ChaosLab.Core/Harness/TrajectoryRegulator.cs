using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// h4, trajectory regulation: after each step it looks at the calls made and what came back
/// (only the observation the model saw) for three patterns: the same call failing again and
/// again, a loop that learns nothing (A,B,A,B or several steps with results already seen) and a
/// step budget running out. It escalates like the reference harness: two soft notes, then a
/// forced alternative (the call that continues the pattern is refused before it runs); and when
/// at most one step remains, only a submission.
/// </summary>
public sealed class TrajectoryRegulator
{
    /// <summary>Failures of one identical call that bring the first note.</summary>
    public const int RepeatNoteAt = 2;

    /// <summary>Notes before the forced alternative.</summary>
    public const int SoftNotes = 2;

    /// <summary>Steps in a row that return only what was already seen before stagnation is noted.</summary>
    public const int StagnantSteps = 3;

    private readonly string _submitTool;
    private readonly int _submitSoonAt;
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _banned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<(string Key, bool New)> _recent = [];
    private int _stagnant;
    private int _loopDetections;
    private bool _submitSoonNoted;
    private bool _lastStepNoted;

    /// <param name="submitTool">The tool notes tell the model to submit with.</param>
    /// <param name="maxSteps">The task's step limit: the "submit soon" note comes at a fifth of it (at least 2 steps) before the end.</param>
    public TrajectoryRegulator(string submitTool, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(submitTool);
        _submitTool = submitTool;
        _submitSoonAt = Math.Max(2, maxSteps / 5);
    }

    /// <summary>Why <paramref name="action"/> may not run (it continues a pattern h4 already warned about twice), or null.</summary>
    public string? Forbids(AgentAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _banned.GetValueOrDefault(Key(action));
    }

    /// <summary>What to tell the model after the step <paramref name="action"/> led to.</summary>
    public RegulatorVerdict After(AgentAction action, AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(step);
        if (step.Done)
        {
            return new RegulatorVerdict([], false);
        }

        var view = ObservationView.Of(step);
        var key = Key(action);
        var notes = new List<HarnessNote>();
        var isNew = _seen.Add(view.Information);
        _stagnant = isNew ? 0 : _stagnant + 1;
        _recent.Add((key, isNew));

        if (view.Failed && action is AgentAction.CallTool call && RepeatedFailure(call, key) is { } repeated)
        {
            notes.Add(repeated);
        }
        else if (Loop(action) is { } loop)
        {
            notes.Add(loop);
        }

        // Suites write steps_remaining on every step; without it there is no budget to watch.
        var forceSubmit = view.StepsRemaining is <= 1;
        if (view.StepsRemaining is { } remaining)
        {
            if (forceSubmit && !_lastStepNoted)
            {
                _lastStepNoted = true;
                notes.Add(new HarnessNote($"{remaining} step left", "note: submit now; only a submission is allowed next",
                    $"Harness note: {remaining} step left. Submit your best answer now with {_submitTool}; any other call would end the episode without an answer."));
            }
            else if (!forceSubmit && remaining <= _submitSoonAt && !_submitSoonNoted)
            {
                _submitSoonNoted = true;
                notes.Add(new HarnessNote($"{remaining} steps left", "note: submit soon",
                    $"Harness note: {remaining} steps left. Get only what you still need, then submit your best answer with {_submitTool} before the steps run out."));
            }
        }

        return new RegulatorVerdict(notes, forceSubmit);
    }

    private HarnessNote? RepeatedFailure(AgentAction.CallTool call, string key)
    {
        var failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        if (failures < RepeatNoteAt || failures >= RepeatNoteAt + SoftNotes)
        {
            return null;
        }

        var what = $"{call.ToolName} with the same arguments";
        if (failures < RepeatNoteAt + SoftNotes - 1)
        {
            return new HarnessNote($"same failing call {failures} times: {call.ToolName}", "note: change the call",
                $"Harness note: {what} has failed {failures} times. Repeating an identical call rarely helps: change the arguments or get the same information from another tool.");
        }

        var message = $"Blocked by the harness: {what} failed {failures} times and will not be sent again. Do something different: another tool, other arguments, or submit your best answer with {_submitTool}.";
        _banned[key] = message;
        return new HarnessNote($"same failing call {failures} times: {call.ToolName}", "note; an identical call will be blocked",
            $"Harness note: {what} has failed {failures} times. Do something different now: another tool, other arguments, or submit with {_submitTool}. An identical call will be refused.");
    }

    /// <summary>A loop that brings nothing new: A,B,A,B whose repeats returned what was seen, or <see cref="StagnantSteps"/> such steps.</summary>
    private HarnessNote? Loop(AgentAction action)
    {
        string? pattern = null;
        string? continues = null;
        if (_recent.Count >= 4 && _recent[^1].Key == _recent[^3].Key && _recent[^2].Key == _recent[^4].Key && _recent[^1].Key != _recent[^2].Key && !_recent[^1].New && !_recent[^2].New)
        {
            pattern = "alternating between two calls";
            continues = _recent[^2].Key;
        }
        else if (_stagnant >= StagnantSteps)
        {
            pattern = $"{_stagnant} steps with nothing new";
            continues = _recent[^1].Key;
        }

        if (pattern is null || continues is null || action is AgentAction.Submit)
        {
            return null;
        }

        // Start over: the next note needs the pattern to form again.
        _recent.Clear();
        _stagnant = 0;
        _loopDetections++;
        if (_loopDetections <= SoftNotes)
        {
            return new HarnessNote(pattern, "note: try something new",
                $"Harness note: {pattern}; the last results repeat what you already had. Try a different tool or question, or submit your best answer with {_submitTool}.");
        }

        _banned[continues] = $"Blocked by the harness: this call continues a loop ({pattern}) that has returned nothing new. Do something different, or submit your best answer with {_submitTool}.";
        return new HarnessNote(pattern, "note; the call continuing the loop will be blocked",
            $"Harness note: {pattern} again. Do something different now; repeating the loop will be refused.");
    }

    /// <summary>The same call: the tool and its arguments in canonical JSON; a submission or a tool listing is one call each.</summary>
    public static string Key(AgentAction action) => action switch
    {
        AgentAction.CallTool call => call.ToolName + "\n" + CanonicalJson.Serialize(call.Arguments),
        AgentAction.Submit => AgentAction.SubmitType,
        _ => AgentAction.ListToolsType,
    };
}

/// <param name="Notes">What to append to the tool result, in order.</param>
/// <param name="ForceSubmit">At most one step remains: the next turn may only submit.</param>
public sealed record RegulatorVerdict(IReadOnlyList<HarnessNote> Notes, bool ForceSubmit);
