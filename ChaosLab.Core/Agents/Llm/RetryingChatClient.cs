using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// Retries a profile's requests with Polly (the OpenAI SDK's own retries are off): on 408, 429
/// (waiting what Retry-After asks, up to <see cref="MaxRetryAfter"/>), 5xx, timeouts and dropped
/// connections, with exponential backoff from <see cref="BaseDelay"/>, at most the profile's
/// <c>retries</c> times. The number of requests a reply took is in its
/// <see cref="ChatResponse.AdditionalProperties"/> under <see cref="AttemptsKey"/>; a final failure
/// is a <see cref="ModelEndpointException"/>. Waits run on the given <see cref="TimeProvider"/>.
/// Only <see cref="GetResponseAsync"/> is retried: the agent does not stream, and a stream
/// cannot be retried once part of it has been read.
/// </summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    public const string AttemptsKey = "chaoslab.attempts";

    public static TimeSpan BaseDelay { get; } = TimeSpan.FromSeconds(1);

    public static TimeSpan MaxDelay { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After honoured; a longer one is cut to this so a run cannot stall for hours.</summary>
    public static TimeSpan MaxRetryAfter { get; } = TimeSpan.FromSeconds(120);

    private readonly AgentProfile _profile;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;
    private readonly ResiliencePipeline<ChatResponse> _pipeline;

    public RetryingChatClient(IChatClient inner, AgentProfile profile, TimeProvider time, Func<string, string?> environment)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(environment);
        _profile = profile;
        _time = time;
        _environment = environment;
        var builder = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = time };
        if (profile.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ChatResponse>
            {
                MaxRetryAttempts = profile.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && Failure(e, args.Context.CancellationToken) is { Transient: true }),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && Failure(e, args.Context.CancellationToken)?.RetryAfter is { } wait
                        ? (TimeSpan?)(wait > MaxRetryAfter ? MaxRetryAfter : wait)
                        : null),
            });
        }

        _pipeline = builder.Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    attempts++;
                    return await state.GetResponseCoreAsync(messages, options, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                this).ConfigureAwait(false);
            response.AdditionalProperties ??= [];
            response.AdditionalProperties[AttemptsKey] = attempts;
            return response;
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            var redacted = failure.Redacted(_profile, _environment);
            throw new ModelEndpointException(_profile.Name, _profile.ChatCompletionsUrl, redacted, attempts, failure.Kind == ModelEndpointFailureKind.Http ? null : e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The requests a reply took (1 when it came through another client).</summary>
    public static int AttemptsOf(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(AttemptsKey, out var value) == true && value is int attempts ? attempts : 1;
    }

    private Task<ChatResponse> GetResponseCoreAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetResponseAsync(messages, options, cancellationToken);

    private ModelEndpointFailure? Failure(Exception exception, CancellationToken callerToken) => ModelEndpointFailure.From(exception, callerToken.IsCancellationRequested, _time.GetUtcNow());
}
