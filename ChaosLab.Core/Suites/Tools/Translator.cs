namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A deterministic word-by-word glossary translator between English, French, German, Spanish and
/// the world's local language (its generated vocabulary). Limits, stated to agents: only glossary
/// words are translated (about forty plus the local vocabulary), names and numbers pass through,
/// and grammar, word order and inflection are not adapted.
/// </summary>
public static class Translator
{
    public static IReadOnlyList<string> Languages { get; } = ["en", "fr", "de", "es", "local"];

    private static readonly (string En, string Fr, string De, string Es)[] Glossary =
    [
        ("population", "population", "bevölkerung", "población"), ("revenue", "chiffre d'affaires", "umsatz", "ingresos"),
        ("capital", "capitale", "hauptstadt", "capital"), ("billion", "milliard", "milliarde", "mil millones"),
        ("million", "million", "million", "millón"), ("company", "entreprise", "unternehmen", "empresa"),
        ("country", "pays", "land", "país"), ("launch", "lancement", "markteinführung", "lanzamiento"),
        ("date", "date", "datum", "fecha"), ("report", "rapport", "bericht", "informe"), ("people", "personnes", "menschen", "personas"),
        ("year", "année", "jahr", "año"), ("the", "le", "der", "el"), ("of", "de", "von", "de"), ("is", "est", "ist", "es"),
        ("and", "et", "und", "y"), ("in", "en", "in", "en"), ("was", "était", "war", "era"), ("area", "superficie", "fläche", "superficie"),
        ("city", "ville", "stadt", "ciudad"), ("chief", "chef", "chef", "jefe"), ("executive", "directeur", "geschäftsführer", "ejecutivo"),
        ("estimate", "estimation", "schätzung", "estimación"), ("audited", "audité", "geprüft", "auditado"), ("net", "net", "netto", "neto"),
        ("income", "revenu", "einkommen", "ingreso"), ("employees", "employés", "mitarbeiter", "empleados"), ("today", "aujourd'hui", "heute", "hoy"),
        ("new", "nouveau", "neu", "nuevo"), ("product", "produit", "produkt", "producto"), ("event", "événement", "veranstaltung", "evento"),
        ("according", "selon", "laut", "según"), ("to", "à", "zu", "a"), ("figures", "chiffres", "zahlen", "cifras"),
        ("current", "actuel", "aktuell", "actual"), ("previous", "précédent", "vorherig", "anterior"), ("headquarters", "siège", "hauptsitz", "sede"),
        ("per", "par", "pro", "por"), ("person", "personne", "person", "persona"),
    ];

    public static (string Translation, IReadOnlyList<string> Untranslated) Translate(World world, string text, string target)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(text);
        var toEnglish = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var g in Glossary)
        {
            toEnglish.TryAdd(g.Fr, g.En);
            toEnglish.TryAdd(g.De, g.En);
            toEnglish.TryAdd(g.Es, g.En);
            toEnglish.TryAdd(g.En, g.En);
        }

        foreach (var (en, local) in world.LocalVocabulary)
        {
            toEnglish[local] = en;
        }

        var output = new List<string>();
        var untranslated = new List<string>();
        foreach (var token in text.Split(' '))
        {
            var core = token.Trim('.', ',', ';', ':', '(', ')', '!', '?');
            if (core.Length == 0 || !core.Any(char.IsLetter) || char.IsUpper(core[0]) && !toEnglish.ContainsKey(core))
            {
                output.Add(token);
                continue;
            }

            if (!toEnglish.TryGetValue(core, out var english))
            {
                untranslated.Add(core);
                output.Add(token);
                continue;
            }

            var translated = target switch
            {
                "en" => english,
                "local" => world.LocalVocabulary.GetValueOrDefault(english.ToLowerInvariant()) ?? Missing(untranslated, english),
                _ => Glossary.FirstOrDefault(g => string.Equals(g.En, english, StringComparison.OrdinalIgnoreCase)) is var g && g.En is not null
                    ? target switch { "fr" => g.Fr, "de" => g.De, _ => g.Es }
                    : Missing(untranslated, english),
            };
            output.Add(token.Replace(core, translated, StringComparison.Ordinal));
        }

        return (string.Join(' ', output), untranslated.Distinct().ToList());
    }

    private static string Missing(List<string> untranslated, string word)
    {
        untranslated.Add(word);
        return word;
    }
}
