using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// What anyone outside an episode may see of its record. While it runs: at most what its agent
/// has already seen (actions, delivered observations, rewards, errors), never the clean results,
/// the fault decisions (fired kinds included), the reward components or, for a sealed episode,
/// the seed: any of them would let an agent, or a sibling session, read the truth off the record.
/// Once the episode has ended (graded or abandoned) the full record is disclosed. Every read of
/// the store and every live event goes through here.
/// </summary>
public static class EpisodeDisclosure
{
    public static EpisodeSummary Summary(EpisodeSummary episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return episode.EndedAt is not null ? episode : episode with
        {
            FaultKinds = [],
            Seed = episode.Mode == EpisodeModes.Sealed ? null : episode.Seed,
        };
    }

    public static EpisodeTrajectory Trajectory(EpisodeTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return trajectory.Episode.EndedAt is not null ? trajectory : new EpisodeTrajectory(
            Summary(trajectory.Episode), null, [.. trajectory.Steps.Select(RunningStep)]);
    }

    /// <summary>A step of an episode that is still running, as its agent saw it.</summary>
    public static RecordedStep RunningStep(RecordedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step with { CleanResult = null, FaultsJson = "[]", RewardComponentsJson = "[]" };
    }
}
