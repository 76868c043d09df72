using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class EpisodeFaultEntityConfiguration : IEntityTypeConfiguration<EpisodeFaultEntity>
{
    public void Configure(EntityTypeBuilder<EpisodeFaultEntity> fault)
    {
        fault.ToTable("episode_faults");
        fault.HasKey(f => new { f.EpisodeId, f.Kind });
        fault.HasOne<EpisodeEntity>().WithMany().HasForeignKey(f => f.EpisodeId).OnDelete(DeleteBehavior.Cascade);
        fault.Property(f => f.EpisodeId).HasColumnName("episode_id");
        fault.Property(f => f.Kind).HasColumnName("kind");
    }
}
