using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class StepFragmentEntityConfiguration : IEntityTypeConfiguration<StepFragmentEntity>
{
    public void Configure(EntityTypeBuilder<StepFragmentEntity> fragment)
    {
        fragment.ToTable("step_fragments");
        fragment.HasKey(f => f.Hash);
        fragment.Property(f => f.Hash).HasColumnName("hash");
        fragment.Property(f => f.Text).HasColumnName("text");
    }
}
