using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class EpisodeEntityConfiguration : IEntityTypeConfiguration<EpisodeEntity>
{
    public void Configure(EntityTypeBuilder<EpisodeEntity> episode)
    {
        episode.ToTable("episodes");
        episode.HasKey(e => e.Id);
        episode.Property(e => e.Id).HasColumnName("id");
        episode.Property(e => e.Suite).HasColumnName("suite");
        episode.Property(e => e.TaskId).HasColumnName("task_id");
        episode.Property(e => e.Tier).HasColumnName("tier");
        episode.Property(e => e.ScenarioId).HasColumnName("scenario_id");
        episode.Property(e => e.ScenarioVersion).HasColumnName("scenario_version");
        episode.Property(e => e.Seed).HasColumnName("seed");
        episode.Property(e => e.MaxSteps).HasColumnName("max_steps");
        episode.Property(e => e.Agent).HasColumnName("agent");
        episode.Property(e => e.ClientKind).HasColumnName("client_kind");
        episode.Property(e => e.Mode).HasColumnName("mode");
        episode.Property(e => e.StartedAt).HasColumnName("started_at").HasConversion<UnixMillisecondsConverter>();
        episode.Property(e => e.EndedAt).HasColumnName("ended_at").HasConversion<UnixMillisecondsConverter>();
        episode.Property(e => e.Outcome).HasColumnName("outcome");
        episode.Property(e => e.Score).HasColumnName("score");
        episode.Property(e => e.Success).HasColumnName("success");
        episode.Property(e => e.StepCount).HasColumnName("step_count");
        episode.Property(e => e.Prompt).HasColumnName("prompt");
        episode.Property(e => e.Replica).HasColumnName("replica");
        episode.Property(e => e.Submission).HasColumnName("submission");
        episode.Property(e => e.GradeJson).HasColumnName("grade_json");
        episode.Property(e => e.Grade).HasColumnName("grade");
        episode.Property(e => e.FinalReward).HasColumnName("final_reward");
        episode.Property(e => e.AbandonReason).HasColumnName("abandon_reason");
    }
}
