using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// A profile as an <see cref="IChatClient"/>: the OpenAI adapter pointed at the profile's endpoint,
/// its headers and body keys put on each request as it is sent (<see cref="ProfileRequestPolicy"/>),
/// the profile's network timeout, and Polly retries (<see cref="RetryingChatClient"/>) instead of the SDK's.
/// </summary>
public static class ChatClientFactory
{
    /// <summary>
    /// What the SDK is given as its key: it insists on one, but the real Authorization header comes
    /// from the profile's template at send time, and a profile without one sends none.
    /// </summary>
    private const string PlaceholderKey = "from-profile-headers";

    /// <param name="environment">Where <c>${VAR}</c> is read from (the process environment by default; tests pass their own).</param>
    public static IChatClient Create(AgentProfile profile, TimeProvider time, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        environment ??= System.Environment.GetEnvironmentVariable;
        var options = new OpenAIClientOptions
        {
            Endpoint = profile.Endpoint,
            NetworkTimeout = profile.Timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        options.AddPolicy(new ProfileRequestPolicy(profile, environment), PipelinePosition.BeforeTransport);
        var chat = new OpenAIClient(new ApiKeyCredential(PlaceholderKey), options).GetChatClient(profile.Model).AsIChatClient();
        return new RetryingChatClient(chat, profile, time, environment);
    }
}
