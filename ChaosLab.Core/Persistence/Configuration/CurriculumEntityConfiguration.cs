using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class CurriculumEntityConfiguration : IEntityTypeConfiguration<CurriculumEntity>
{
    public void Configure(EntityTypeBuilder<CurriculumEntity> curriculum)
    {
        curriculum.ToTable("curricula");
        curriculum.HasKey(c => c.Name);
        curriculum.Property(c => c.Name).HasColumnName("name");
        curriculum.Property(c => c.Suite).HasColumnName("suite");
        curriculum.Property(c => c.RulesJson).HasColumnName("rules_json");
        curriculum.Property(c => c.CurrentTier).HasColumnName("current_tier");
        curriculum.Property(c => c.CreatedAt).HasColumnName("created_at").HasConversion<UnixMillisecondsConverter>();
        curriculum.Property(c => c.UpdatedAt).HasColumnName("updated_at").HasConversion<UnixMillisecondsConverter>();
    }
}
