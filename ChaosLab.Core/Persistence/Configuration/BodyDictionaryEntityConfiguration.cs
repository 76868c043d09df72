using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class BodyDictionaryEntityConfiguration : IEntityTypeConfiguration<BodyDictionaryEntity>
{
    public void Configure(EntityTypeBuilder<BodyDictionaryEntity> dictionary)
    {
        dictionary.ToTable("body_dictionaries");
        dictionary.HasKey(d => d.Id);
        dictionary.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        dictionary.Property(d => d.Name).HasColumnName("name");
        dictionary.Property(d => d.Content).HasColumnName("content");
    }
}
