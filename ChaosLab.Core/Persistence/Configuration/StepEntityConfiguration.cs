using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class StepEntityConfiguration : IEntityTypeConfiguration<StepEntity>
{
    public void Configure(EntityTypeBuilder<StepEntity> step)
    {
        step.ToTable("steps");
        step.HasKey(s => new { s.EpisodeId, s.StepIndex });
        step.HasOne<EpisodeEntity>().WithMany().HasForeignKey(s => s.EpisodeId).OnDelete(DeleteBehavior.Cascade);
        step.Property(s => s.EpisodeId).HasColumnName("episode_id");
        step.Property(s => s.StepIndex).HasColumnName("step_index");
        step.Property(s => s.ActionJson).HasColumnName("action_json");
        step.Property(s => s.ObservationJson).HasColumnName("observation_json");
        step.Property(s => s.CleanResult).HasColumnName("clean_result");
        step.Property(s => s.DeliveredResult).HasColumnName("delivered_result");
        step.Property(s => s.FaultsJson).HasColumnName("faults_json");
        step.Property(s => s.RewardComponentsJson).HasColumnName("reward_components_json");
        step.Property(s => s.Reward).HasColumnName("reward");
        step.Property(s => s.Done).HasColumnName("done");
        step.Property(s => s.EpisodeTime).HasColumnName("episode_time").HasConversion<UnixMillisecondsConverter>();
        step.Property(s => s.WallTimeUs).HasColumnName("wall_time_us");
        step.Property(s => s.Error).HasColumnName("error");
    }
}
