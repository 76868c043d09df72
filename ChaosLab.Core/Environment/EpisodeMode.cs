namespace ChaosLab.Core.Environment;

/// <summary>
/// What an episode is for. Practice episodes serve training: the client may choose the seed,
/// and everything (answer key, clean results, fault decisions) is visible once the episode has
/// ended. Sealed episodes are what the leaderboard counts: the server draws the seed, and while
/// the episode runs nothing reachable from outside reveals the seed, the answer key, clean
/// results or fault decisions, and step rewards carry only what the agent can observe itself.
/// </summary>
public enum EpisodeMode
{
    Practice,
    Sealed,
}

public static class EpisodeModes
{
    public const string Practice = "practice";
    public const string Sealed = "sealed";

    public static IReadOnlyList<string> Names { get; } = [Practice, Sealed];

    public static string Name(this EpisodeMode mode) => mode == EpisodeMode.Sealed ? Sealed : Practice;

    public static EpisodeMode? Parse(string? name) => name switch
    {
        Practice => EpisodeMode.Practice,
        Sealed => EpisodeMode.Sealed,
        _ => null,
    };
}
