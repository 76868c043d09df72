using System.Runtime.CompilerServices;
using ChaosLab.Core.Suites.Mast.Config;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>What a model call gave the agent once the resilience pipeline was done with it.</summary>
internal enum ModelReply
{
    /// <summary>The model answered.</summary>
    Answered,

    /// <summary>Fallback summarize: a degraded answer from cached context.</summary>
    Summarized,

    /// <summary>Fallback skip: no answer; the agent passes its input through.</summary>
    Skipped,
}

/// <summary>A model backend's refusal (503, 429). Never thrown: handed to Polly as an outcome.</summary>
internal sealed class ModelCallException(string status) : Exception(status)
{
    public static ModelCallException Unavailable { get; } = new(Symptoms.ServiceUnavailable);

    public static ModelCallException RateLimited { get; } = new("429 Too Many Requests");
}

/// <summary>
/// The config's transport settings as Polly v8 pipelines on the simulated clock, in the order the
/// design fixes: fallback (outer), circuit breaker, retry (exponential, no jitter), timeout (inner).
/// Without a breaker a pipeline holds no state between calls, so one per config serves every
/// agent and run on the thread; a breaker is per backend and per run.
/// </summary>
internal sealed class ModelCallPipeline
{
    public static readonly ResiliencePropertyKey<ModelCall> CallKey = new("mast.call");

    /// <summary>Polly turns this into a <see cref="TimeoutRejectedException"/> when its timeout cut the call.</summary>
    private static readonly OperationCanceledException CutShort = new("The simulated model call was cut short.");

    private readonly ResilienceConfig _config;
    private readonly SimulatedClock _clock;
    private readonly ResiliencePipeline<ModelReply>? _shared;
    private readonly ResiliencePipeline<ModelReply> _lastAttempt;

    public ModelCallPipeline(ResilienceConfig config, SimulatedClock clock)
    {
        _config = config;
        _clock = clock;
        _lastAttempt = new ResiliencePipelineBuilder<ModelReply> { TimeProvider = clock }.AddTimeout(TimeSpan.FromMilliseconds(config.TimeoutMs)).Build();
        if (config.CircuitBreakerThreshold <= 0)
        {
            _shared = Build(withBreaker: false);
        }
    }

    public ResilienceConfig Config => _config;

    /// <summary>The pipeline one backend uses for one run.</summary>
    public ResiliencePipeline<ModelReply> ForBackend() => _shared ?? Build(withBreaker: true);

    public static ValueTask<Outcome<ModelReply>> Execute(ResiliencePipeline<ModelReply> pipeline, ResilienceContext context, ModelCall call) =>
        pipeline.ExecuteOutcomeAsync(AttemptAsync, context, call);

    /// <summary>One attempt of a model call: the backend's answer after its latency, unless the timeout cuts it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Outcome<ModelReply>> AttemptAsync(ResilienceContext context, ModelCall call)
    {
        var attempt = call.Run.PlanAttempt(call);
        var finished = await call.Run.Clock.SleepAsync(attempt.LatencyMs, context.CancellationToken).ConfigureAwait(false);
        if (!finished)
        {
            call.Run.OnTimedOut(call, attempt);
            return Outcome.FromException<ModelReply>(CutShort);
        }

        return call.Run.FinishAttempt(call, attempt);
    }

    private ResiliencePipeline<ModelReply> Build(bool withBreaker)
    {
        var builder = new ResiliencePipelineBuilder<ModelReply> { TimeProvider = _clock };
        if (_config.Fallback != "abort")
        {
            builder.AddFallback(new FallbackStrategyOptions<ModelReply>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null),
                FallbackAction = Fallback,
            });
        }

        if (withBreaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<ModelReply>
            {
                FailureRatio = _config.CircuitBreakerThreshold,
                MinimumThroughput = 2,
                // A run lasts minutes: the window covers it, and an open breaker stays open for the rest of it.
                SamplingDuration = TimeSpan.FromHours(1),
                BreakDuration = TimeSpan.FromHours(1),
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is ModelCallException or TimeoutRejectedException),
            });
        }

        if (_config.RetryMax > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ModelReply>
            {
                MaxRetryAttempts = _config.RetryMax,
                Delay = TimeSpan.FromMilliseconds(_config.RetryDelayMs),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is ModelCallException or TimeoutRejectedException),
            });
        }

        return builder.AddTimeout(TimeSpan.FromMilliseconds(_config.TimeoutMs)).Build();
    }

    private ValueTask<Outcome<ModelReply>> Fallback(FallbackActionArguments<ModelReply> args)
    {
        var call = args.Context.Properties.GetValue(CallKey, null!);
        call.Run.OnFallback(call, args.Outcome.Exception!);
        return _config.Fallback switch
        {
            "skip" => ValueTask.FromResult(Outcome.FromResult(ModelReply.Skipped)),
            "summarize" => ValueTask.FromResult(Outcome.FromResult(ModelReply.Summarized)),
            // retry_last: one more attempt at once, still under the timeout, past breaker and retry.
            _ => _lastAttempt.ExecuteOutcomeAsync(AttemptAsync, args.Context, call),
        };
    }
}
