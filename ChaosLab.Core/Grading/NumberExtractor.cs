using System.Globalization;

namespace ChaosLab.Core.Grading;

/// <summary>Finds the numbers a text states, with scale, currency, percent and multiplier read.</summary>
/// <remarks>
/// A single left-to-right scan (no regex, so no backtracking). Read: "12,345,678", "12 345 678"
/// (space groups only when every group has three digits), decimals with '.', a leading '-',
/// currency ($, €, USD, EUR, before or after), scales (k/thousand, M/m/mn/million, B/bn/billion,
/// T/tn/trillion; a lone letter after a space only in upper case, so "5 m" is not five million),
/// "12.5%", "12.5 percent", "2.3x", "2.3 times", "2.3-fold", "a factor of 2.3".
/// Not read: numbers glued to letters ("B01", "5th", "10am", "COVID-19"), versions and times
/// ("1.2.3", "10:30"), and every number inside a date or a time expression ("as of 2025",
/// "in March 2024", "2024-03-01", see <see cref="DateExtractor"/>).
/// </remarks>
public static class NumberExtractor
{
    private const string GroupSpaces = " \u00A0\u2009\u202F";

    public static IReadOnlyList<ExtractedNumber> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dateSpans = DateExtractor.FindDateLikeSpans(text);
        var numbers = new List<ExtractedNumber>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            if (IsGluedBefore(text, i))
            {
                i = SkipToken(text, i);
                continue;
            }

            var number = Read(text, i, out var next);
            i = next;
            if (number is not null && !InAnySpan(dateSpans, number))
            {
                numbers.Add(number);
            }
        }

        return numbers;
    }

    private static ExtractedNumber? Read(string text, int digitsStart, out int next)
    {
        var end = ReadMantissa(text, digitsStart, out var mantissa);
        if (IsGluedAfter(text, end))
        {
            next = SkipToken(text, end);
            return null;
        }

        var suffix = Suffix.Read(text, end);
        if (suffix is null)
        {
            // Letters right after the digits that are no known suffix: "5th", "10am", "3kg".
            next = SkipToken(text, end);
            return null;
        }

        var start = digitsStart;
        var currencyBefore = ReadCurrencyBefore(text, ref start);
        var negative = ReadSignBefore(text, ref start);
        if (!negative && currencyBefore)
        {
            negative = ReadSignBefore(text, ref start);
        }

        var multiplier = suffix.IsMultiplier || FollowsFactorOf(text, start);
        var value = Scale(mantissa, suffix.Scale) * (negative ? -1 : 1);
        next = suffix.End;
        return new ExtractedNumber(
            value,
            start,
            suffix.End - start,
            text[start..suffix.End],
            suffix.Scale,
            suffix.IsPercent,
            currencyBefore || suffix.IsCurrency,
            multiplier);
    }

    /// <summary>Reads digits, thousands groups and decimals; returns the end and the plain digits.</summary>
    private static int ReadMantissa(string text, int start, out string mantissa)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var digits = text[start..i];
        if (digits.Length <= 3)
        {
            var grouped = ReadGroups(text, i, ",", out var groups);
            if (grouped == i)
            {
                grouped = ReadGroups(text, i, GroupSpaces, out groups);
            }

            digits += groups;
            i = grouped;
        }

        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            var fractionStart = i;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            digits += text[fractionStart..i];
        }

        mantissa = digits;
        return i;
    }

    // Groups of exactly three digits after one separator kind; "1,2,3" is a list, not 123.
    private static int ReadGroups(string text, int i, string separators, out string groups)
    {
        groups = "";
        char? separator = null;
        while (i < text.Length && separators.Contains(text[i], StringComparison.Ordinal)
            && (separator is null || text[i] == separator)
            && IsThreeDigitGroup(text, i + 1))
        {
            separator = text[i];
            groups += text.Substring(i + 1, 3);
            i += 4;
        }

        return i;
    }

    private static bool IsThreeDigitGroup(string text, int at) =>
        at + 3 <= text.Length
        && char.IsAsciiDigit(text[at]) && char.IsAsciiDigit(text[at + 1]) && char.IsAsciiDigit(text[at + 2])
        && (at + 3 == text.Length || !char.IsAsciiDigit(text[at + 3]));

    private static bool IsGluedBefore(string text, int i)
    {
        if (i == 0)
        {
            return false;
        }

        var before = text[i - 1];
        if (char.IsLetter(before) || before == '_')
        {
            return true;
        }

        // "1.2.3", "10:30", "3/4", and "COVID-19" (a hyphen after a letter joins an identifier).
        return i >= 2 && ((before is '.' or ':' or '/' && char.IsAsciiDigit(text[i - 2]))
            || (before == '-' && char.IsLetter(text[i - 2])));
    }

    private static bool IsGluedAfter(string text, int end) =>
        end + 1 < text.Length && text[end] is '.' or ':' or '/' && char.IsAsciiDigit(text[end + 1]);

    private static int SkipToken(string text, int i)
    {
        while (i < text.Length && (char.IsLetterOrDigit(text[i])
            || (text[i] is '.' or ':' or '/' or '-' or '_' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))))
        {
            i++;
        }

        return i;
    }

    private static bool ReadCurrencyBefore(string text, ref int start)
    {
        var i = start;
        if (i > 0 && text[i - 1] == ' ')
        {
            i--;
        }

        if (i > 0 && text[i - 1] is '$' or '€' or '£')
        {
            start = i - 1;
            if (start >= 2 && text[start - 1] is 'S' && text[start - 2] is 'U')
            {
                start -= 2;
            }

            return true;
        }

        foreach (var code in (ReadOnlySpan<string>)["USD", "EUR", "GBP"])
        {
            if (i >= code.Length && text.AsSpan(i - code.Length, code.Length).Equals(code, StringComparison.OrdinalIgnoreCase)
                && (i == code.Length || !char.IsLetter(text[i - code.Length - 1])))
            {
                start = i - code.Length;
                return true;
            }
        }

        return false;
    }

    private static bool ReadSignBefore(string text, ref int start)
    {
        if (start > 0 && text[start - 1] is '-' or '\u2212' && (start == 1 || !char.IsLetterOrDigit(text[start - 2])))
        {
            start--;
            return true;
        }

        return false;
    }

    private static bool FollowsFactorOf(string text, int start)
    {
        var before = text.AsSpan(0, start).TrimEnd();
        return before.EndsWith("factor of", StringComparison.OrdinalIgnoreCase);
    }

    // Decimal arithmetic so "4.1B" is exactly 4100000000, not 4099999999.9999995.
    private static double Scale(string mantissa, NumberScale scale)
    {
        var factor = scale switch
        {
            NumberScale.Thousand => 1e3m,
            NumberScale.Million => 1e6m,
            NumberScale.Billion => 1e9m,
            NumberScale.Trillion => 1e12m,
            _ => 1m,
        };
        if (mantissa.Length <= 20 && decimal.TryParse(mantissa, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var exact))
        {
            return (double)(exact * factor);
        }

        return double.Parse(mantissa, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * (double)factor;
    }

    // A binary search over sorted, disjoint spans keeps long tool results fast.
    private static bool InAnySpan(List<Range> spans, ExtractedNumber number)
    {
        var low = 0;
        var high = spans.Count - 1;
        var end = number.Start + number.Length;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (spans[middle].Start.Value < end)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        // Spans are disjoint, so only the last one starting before the number's end can overlap it.
        return high >= 0 && spans[high].End.Value > number.Start;
    }

    /// <summary>What follows a number's digits: scale, percent, multiplier, currency.</summary>
    private sealed record Suffix(int End, NumberScale Scale, bool IsPercent, bool IsCurrency, bool IsMultiplier)
    {
        /// <summary>Null when letters glued to the digits are no known suffix ("5th").</summary>
        public static Suffix? Read(string text, int end)
        {
            var (word, wordEnd, spaced) = NextWord(text, end);
            if (!spaced && word.Length > 0 && char.IsLetter(word[0]) && Classify(word, spaced: false) is null)
            {
                return null;
            }

            var kind = Classify(word, spaced);
            var result = new Suffix(end, NumberScale.None, false, false, false);
            if (kind is { } known)
            {
                result = known with { End = wordEnd };
            }
            else if (end < text.Length && text[end] == '-' && NextWord(text, end + 1) is { Word: var fold, End: var foldEnd }
                && fold.Equals("fold", StringComparison.OrdinalIgnoreCase))
            {
                return result with { End = foldEnd, IsMultiplier = true };
            }

            if (result.IsPercent || result.IsMultiplier)
            {
                return result;
            }

            // A currency may follow the number or its scale: "4,200 USD", "4.2 billion dollars".
            var (currency, currencyEnd, _) = NextWord(text, result.End);
            return IsCurrencyWord(currency) ? result with { End = currencyEnd, IsCurrency = true } : result;
        }

        private static Suffix? Classify(string word, bool spaced)
        {
            if (word.Length == 0)
            {
                return null;
            }

            // After a space a lone letter is a scale only in upper case: "5 m" is likely metres.
            if (spaced && word.Length == 1 && !char.IsUpper(word[0]) && word != "%")
            {
                return null;
            }

            return word.ToLowerInvariant() switch
            {
                "k" or "thousand" => Scaled(NumberScale.Thousand),
                "m" or "mn" or "mio" or "million" => Scaled(NumberScale.Million),
                "b" or "bn" or "billion" => Scaled(NumberScale.Billion),
                "t" or "tn" or "trillion" => Scaled(NumberScale.Trillion),
                "%" or "percent" => new Suffix(0, NumberScale.None, true, false, false),
                "x" or "\u00D7" when !spaced || word == "\u00D7" => new Suffix(0, NumberScale.None, false, false, true),
                "times" => new Suffix(0, NumberScale.None, false, false, true),
                "€" or "$" => new Suffix(0, NumberScale.None, false, true, false),
                _ => null,
            };
        }

        private static Suffix Scaled(NumberScale scale) => new(0, scale, false, false, false);

        private static bool IsCurrencyWord(string word) =>
            word.ToLowerInvariant() is "usd" or "eur" or "gbp" or "dollars" or "euros" or "€" or "$";

        /// <summary>The word (or one symbol) after at most one space, and whether a space came first.</summary>
        private static (string Word, int End, bool Spaced) NextWord(string text, int i)
        {
            var spaced = i < text.Length && text[i] is ' ' or '\u00A0';
            if (spaced)
            {
                i++;
            }

            if (i >= text.Length)
            {
                return ("", i, spaced);
            }

            if (text[i] is '%' or '€' or '$' or '\u00D7')
            {
                return (text[i].ToString(), i + 1, spaced);
            }

            var start = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            // "per cent" is one word here.
            if (text.AsSpan(start, i - start).Equals("per", StringComparison.OrdinalIgnoreCase)
                && text.AsSpan(i).StartsWith(" cent", StringComparison.OrdinalIgnoreCase)
                && (i + 5 == text.Length || !char.IsLetter(text[i + 5])))
            {
                return ("percent", i + 5, spaced);
            }

            // A glued digit ("5x3") means the word is not a suffix.
            return i < text.Length && char.IsAsciiDigit(text[i]) ? ("?", i, spaced) : (text[start..i], i, spaced);
        }
    }
}
