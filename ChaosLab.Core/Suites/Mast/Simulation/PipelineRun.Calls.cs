using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Pipeline;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>Model calls through the resilience pipeline, the backend faults that hit them, and the run's fault decisions.</summary>
internal sealed partial class PipelineRun
{
    /// <summary>
    /// A model call through the agent's resilience pipeline; null when it failed for good (the
    /// run is then over: fallback abort, or a retry_last that failed too).
    /// </summary>
    private ModelReply? Call(AgentState agent)
    {
        agent.Calls++;
        var call = new ModelCall(this, agent, agent.Calls);
        agent.Pipeline ??= _workspace.Pipelines(_config).ForNewRun(agent.Index);
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            context.Properties.Set(ModelCallPipeline.CallKey, call);
            var outcome = Clock.RunToCompletion(ModelCallPipeline.Execute(agent.Pipeline, context, call));
            if (outcome.Exception is { } error)
            {
                if (error is BrokenCircuitException)
                {
                    Log(agent.Id, "error", Symptoms.CircuitOpen(agent.Id));
                }

                _stop = Symptoms.AgentFailed(agent.Id, Describe(call, error));
                return null;
            }

            return outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Decides what the backend does with this attempt; the per-call faults roll here, a new draw per attempt.</summary>
    public AttemptPlan PlanAttempt(ModelCall call)
    {
        call.Attempts++;
        var agent = call.Agent;
        var u = agent.Latency.NextDouble();
        var latency = (300 + (long)(2_200 * u * u) + agent.PromptCostMs) * agent.ChunkFactor;
        if (agent.OutageFromCall > 0 && call.Number >= agent.OutageFromCall)
        {
            return new AttemptPlan(UnreachableMs, BackendBehaviour.Unreachable);
        }

        var plan = new AttemptPlan(latency, BackendBehaviour.Healthy);
        foreach (var fault in agent.BackendFaults)
        {
            if (fault.Kind == MastFaultKinds.BackendRateLimit.Name)
            {
                if (call.Attempts == 1)
                {
                    var roll = agent.Backend.NextDouble();
                    var fired = roll < fault.Rate;
                    DecideCall(fault, call, fired, roll, fired ? "429: rate limited" : "under the rate limit");
                    if (fired && plan.Behaviour == BackendBehaviour.Healthy)
                    {
                        call.RetryAfterMs = IntParameter(fault, "retry_after_ms", 2_000);
                        call.RateLimitedUntilMs = Clock.NowMs + RefusalMs + call.RetryAfterMs;
                        plan = new AttemptPlan(RefusalMs, BackendBehaviour.RateLimited);
                    }
                }
                else if (Clock.NowMs < call.RateLimitedUntilMs && plan.Behaviour == BackendBehaviour.Healthy)
                {
                    // Retried before Retry-After passed: refused again.
                    plan = new AttemptPlan(RefusalMs, BackendBehaviour.RateLimited);
                }

                continue;
            }

            var draw = agent.Backend.NextDouble();
            var hit = draw < fault.Rate;
            if (fault.Kind == MastFaultKinds.BackendError.Name)
            {
                DecideCall(fault, call, hit, draw, hit ? "503" : "answered");
                if (hit && plan.Behaviour == BackendBehaviour.Healthy)
                {
                    plan = new AttemptPlan(RefusalMs, BackendBehaviour.Unavailable);
                }
            }
            else if (fault.Kind == MastFaultKinds.BackendSlow.Name)
            {
                DecideCall(fault, call, hit, draw, hit ? "the call hangs" : "usual latency");
                if (hit && plan.Behaviour == BackendBehaviour.Healthy)
                {
                    plan = new AttemptPlan(HangMinMs + (long)(draw / fault.Rate * (HangMaxMs - HangMinMs)), BackendBehaviour.Hang);
                }
            }
        }

        return plan;
    }

    public Outcome<ModelReply> FinishAttempt(ModelCall call, AttemptPlan attempt)
    {
        switch (attempt.Behaviour)
        {
            case BackendBehaviour.Unavailable:
                call.LastError = Symptoms.ServiceUnavailable;
                Log(call.Agent.Id, "error", Symptoms.ModelCallFailed(call.Agent.Id, call.LastError));
                return Outcome.FromException<ModelReply>(ModelCallException.Unavailable);
            case BackendBehaviour.RateLimited:
                call.LastError = Symptoms.TooManyRequests(call.RetryAfterMs);
                Log(call.Agent.Id, "error", Symptoms.ModelCallFailed(call.Agent.Id, call.LastError));
                return Outcome.FromException<ModelReply>(ModelCallException.RateLimited);
            default:
                return Outcome.FromResult(ModelReply.Answered);
        }
    }

    public void OnTimedOut(ModelCall call, AttemptPlan attempt)
    {
        var line = Symptoms.TimedOut(call.Agent.Id, _config.TimeoutMs, attempt.Behaviour == BackendBehaviour.Unreachable);
        call.LastError = line[(call.Agent.Id.Length + 2)..];
        Log(call.Agent.Id, "error", line);
    }

    public void OnRetry(ModelCall call, int retry, TimeSpan delay) =>
        Log(call.Agent.Id, "info", $"{call.Agent.Id}: retrying the model call in {(long)delay.TotalMilliseconds} ms (retry {retry} of {_config.RetryMax})");

    public void OnFallback(ModelCall call, Exception error)
    {
        if (error is BrokenCircuitException)
        {
            Log(call.Agent.Id, "error", Symptoms.CircuitOpen(call.Agent.Id));
            call.LastError = "circuit open";
        }

        Log(call.Agent.Id, "warn", $"{call.Agent.Id}: fallback {_config.Fallback} after: {call.LastError}");
    }

    private static string Describe(ModelCall call, Exception error) => error switch
    {
        BrokenCircuitException => "circuit open",
        TimeoutRejectedException or ModelCallException => call.LastError ?? error.Message,
        _ => call.LastError ?? error.Message,
    };

    // ---- Outage and decisions --------------------------------------------------------------

    private void SetUpOutage(InjectedFault fault, double roll)
    {
        var fired = roll < fault.Rate;
        var from = Math.Max(1, IntParameter(fault, "outage_from_call", 2));
        Decide(fault, fired, roll, fault.Rate, fired ? $"the backend is unreachable from call {from}" : "the backend stayed up");
        if (fired && AgentById(fault.Agent) is { } agent)
        {
            agent.OutageFromCall = from;
        }
    }

    /// <summary>Records a per-run fault's decision, once per run however often the run consults it.</summary>
    private void Decide(InjectedFault fault, bool fired, double roll, double threshold, string reason)
    {
        if (_decided.Contains(fault))
        {
            return;
        }

        _decided.Add(fault);
        _decisions.Add(new FaultDecision(fault.Kind, fault.Agent, fired, _key.Stream, reason, fault.Parameters,
            new FaultDecisionInputs(_instance.Seed, _instance.ScenarioId, fault.Agent, _key.ToString(), _key.Index, roll, threshold)));
    }

    private void DecideCall(InjectedFault fault, ModelCall call, bool fired, double roll, string reason) =>
        _decisions.Add(new FaultDecision(fault.Kind, fault.Agent, fired, _key.Stream, $"call {call.Number}, attempt {call.Attempts}: {reason}", fault.Parameters,
            new FaultDecisionInputs(_instance.Seed, _instance.ScenarioId, fault.Agent, _key.ToString(), _key.Index, roll, fault.Rate)));
}
