using System.Globalization;

namespace Bittensor.Cli.Commands;

/// <summary>TAO amounts on the command line (decimal TAO, exact to the rao) and in tables.</summary>
internal static class TaoAmount
{
    public const ulong Rao = 1_000_000_000;

    public static ulong Parse(string text, string option)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal tao) || tao < 0)
            throw new UsageException($"'--{option}' must be a non-negative amount of TAO, got '{text}'");
        decimal rao = tao * Rao;
        if (rao != decimal.Truncate(rao)) throw new UsageException($"'--{option}' has more than 9 decimals (the rao)");
        if (rao > ulong.MaxValue) throw new UsageException($"'--{option}' is too large");
        return (ulong)rao;
    }

    public static string Format(ulong rao) => (rao / (decimal)Rao).ToString("0.#########", CultureInfo.InvariantCulture);
}
