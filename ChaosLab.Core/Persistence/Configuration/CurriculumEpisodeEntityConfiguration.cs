using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class CurriculumEpisodeEntityConfiguration : IEntityTypeConfiguration<CurriculumEpisodeEntity>
{
    public void Configure(EntityTypeBuilder<CurriculumEpisodeEntity> decision)
    {
        decision.ToTable("curriculum_episodes");
        decision.HasKey(d => d.EpisodeId);
        decision.Property(d => d.EpisodeId).HasColumnName("episode_id");
        decision.Property(d => d.Curriculum).HasColumnName("curriculum");
        decision.Property(d => d.Sequence).HasColumnName("sequence");
        decision.Property(d => d.Tier).HasColumnName("tier");
        decision.Property(d => d.Advanced).HasColumnName("advanced");
        decision.Property(d => d.WindowEpisodes).HasColumnName("window_episodes");
        decision.Property(d => d.WindowSuccesses).HasColumnName("window_successes");
        decision.Property(d => d.Reason).HasColumnName("reason");
        decision.Property(d => d.DecidedAt).HasColumnName("decided_at").HasConversion<UnixMillisecondsConverter>();
    }
}
