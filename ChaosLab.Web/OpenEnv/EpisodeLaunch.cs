using ChaosLab.Core.Environment;
using ChaosLab.Web.OpenEnv.Sessions;

namespace ChaosLab.Web.OpenEnv;

/// <summary>What starting an episode through the <see cref="EnvironmentGateway"/> came to.</summary>
/// <param name="Session">The session the episode runs on; null when no session was opened or kept.</param>
/// <param name="Reset">The reset's first observation, or why the episode did not start.</param>
public sealed record EpisodeLaunch(HostedSession? Session, EnvironmentResult<StepResult> Reset)
{
    /// <summary>No session was free; <see cref="Reset"/> carries the capacity message.</summary>
    public bool ServerFull { get; private init; }

    public bool Started => Reset.Succeeded;

    /// <summary>Why it did not start, for transports that show one message.</summary>
    public string Message => Reset.Succeeded ? "" : Reset.Errors[0].Message;

    internal static EpisodeLaunch Refused(IReadOnlyList<ValidationError> errors) =>
        new(null, EnvironmentResult<StepResult>.Invalid(errors));

    internal static EpisodeLaunch AtCapacity(string message) =>
        new(null, EnvironmentResult<StepResult>.Refused(message)) { ServerFull = true };
}
