using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

/// <summary>ASP.NET Core's own key entity, in the store's snake_case table (schema step 17).</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> key)
    {
        key.ToTable("data_protection_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id");
        key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        key.Property(k => k.Xml).HasColumnName("xml");
    }
}
