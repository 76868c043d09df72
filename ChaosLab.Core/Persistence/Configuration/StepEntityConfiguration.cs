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
        step.Property(s => s.Body).HasColumnName("body");
        step.Property(s => s.FiredFaults).HasColumnName("fired_faults");
        step.Property(s => s.Reward).HasColumnName("reward");
        step.Property(s => s.Done).HasColumnName("done");
        step.Property(s => s.EpisodeTime).HasColumnName("episode_time").HasConversion<UnixMillisecondsConverter>();
        step.Property(s => s.WallTimeUs).HasColumnName("wall_time_us");
    }
}
