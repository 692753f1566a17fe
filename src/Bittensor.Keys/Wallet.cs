using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NBitcoin;
using NSec.Cryptography;

namespace Bittensor.Keys;

/// <summary>
/// Wallets on disk, as on Bittensor: a coldkey plus named hotkeys under
/// <c>~/.bittensor-orleans/wallets/&lt;name&gt;/</c> (or <c>$BITTENSOR_WALLET_PATH</c>). The coldkey's seed is encrypted
/// with the password (Argon2id key derivation, XChaCha20-Poly1305); hotkeys are kept in plain files. Both are backed
/// up by a 12-word BIP39 mnemonic (the key's seed is the first 32 bytes of the BIP39 seed).
/// </summary>
public sealed class WalletStore(string root)
{
    public string Root { get; } = root;

    /// <summary>The default location: <c>$BITTENSOR_WALLET_PATH</c>, else <c>~/.bittensor-orleans/wallets</c>.</summary>
    public static WalletStore Default() => new(Environment.GetEnvironmentVariable("BITTENSOR_WALLET_PATH")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".bittensor-orleans", "wallets"));

    public IReadOnlyList<string> List() => Directory.Exists(Root)
        ? Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "coldkeypub.txt"))).Select(d => Path.GetFileName(d)!).Order().ToList()
        : [];

    /// <summary>Creates a wallet's coldkey (from <paramref name="mnemonic"/> to restore, else a new one); returns the mnemonic to back up.</summary>
    public (string Address, string Mnemonic) CreateColdkey(string wallet, string password, string? mnemonic = null, bool overwrite = false)
    {
        string dir = WalletDir(wallet);
        if (File.Exists(Path.Combine(dir, "coldkey")) && !overwrite) throw new InvalidOperationException($"wallet '{wallet}' already has a coldkey");
        var words = Words(mnemonic);
        using var key = KeyPair.FromSeed(SeedOf(words));
        Directory.CreateDirectory(dir);
        WriteSecret(Path.Combine(dir, "coldkey"), JsonSerializer.Serialize(Encrypt(key, password)));
        File.WriteAllText(Path.Combine(dir, "coldkeypub.txt"), key.Address);
        return (key.Address, words.ToString());
    }

    /// <summary>Creates (or restores) a named hotkey; returns its address and mnemonic.</summary>
    public (string Address, string Mnemonic) CreateHotkey(string wallet, string hotkey, string? mnemonic = null, bool overwrite = false)
    {
        string path = HotkeyPath(wallet, hotkey);
        if (File.Exists(path) && !overwrite) throw new InvalidOperationException($"wallet '{wallet}' already has a hotkey '{hotkey}'");
        var words = Words(mnemonic);
        using var key = KeyPair.FromSeed(SeedOf(words));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteSecret(path, JsonSerializer.Serialize(new HotkeyFile(key.Address, Convert.ToHexString(key.ExportSeed()).ToLowerInvariant())));
        return (key.Address, words.ToString());
    }

    /// <summary>Writes a key file readable and writable by its owner only (0600 on Unix), never briefly wider.</summary>
    private static void WriteSecret(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    public string ColdkeyAddress(string wallet)
    {
        string path = Path.Combine(WalletDir(wallet), "coldkeypub.txt");
        if (!File.Exists(path)) throw new FileNotFoundException($"no wallet '{wallet}' in {Root}");
        return File.ReadAllText(path).Trim();
    }

    /// <summary>Decrypts the coldkey; throws <see cref="CryptographicException"/> for a wrong password.</summary>
    public KeyPair Coldkey(string wallet, string password)
    {
        string path = Path.Combine(WalletDir(wallet), "coldkey");
        if (!File.Exists(path)) throw new FileNotFoundException($"no wallet '{wallet}' in {Root}");
        var file = JsonSerializer.Deserialize<ColdkeyFile>(File.ReadAllText(path)) ?? throw new InvalidDataException("unreadable coldkey file");
        return Decrypt(file, password);
    }

    public KeyPair Hotkey(string wallet, string hotkey)
    {
        string path = HotkeyPath(wallet, hotkey);
        if (!File.Exists(path)) throw new FileNotFoundException($"wallet '{wallet}' has no hotkey '{hotkey}'");
        var file = JsonSerializer.Deserialize<HotkeyFile>(File.ReadAllText(path)) ?? throw new InvalidDataException("unreadable hotkey file");
        return KeyPair.FromSeed(Convert.FromHexString(file.SecretSeed));
    }

    public IReadOnlyList<(string Name, string Address)> Hotkeys(string wallet)
    {
        string dir = Path.Combine(WalletDir(wallet), "hotkeys");
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir).Order().Select(f => (Path.GetFileName(f), JsonSerializer.Deserialize<HotkeyFile>(File.ReadAllText(f))!.Address)).ToList();
    }

    /// <summary>The Ed25519 seed of a mnemonic: the first 32 bytes of its BIP39 seed (no passphrase).</summary>
    public static byte[] SeedOf(string mnemonic) => SeedOf(Words(mnemonic));

    private static byte[] SeedOf(Mnemonic words) => words.DeriveSeed()[..32];

    private static Mnemonic Words(string? mnemonic)
    {
        if (mnemonic is null) return new Mnemonic(Wordlist.English, WordCount.Twelve);
        try
        {
            var words = new Mnemonic(mnemonic.Trim(), Wordlist.English);
            if (!words.IsValidChecksum) throw new FormatException("the mnemonic's checksum is wrong");
            return words;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException)
        {
            throw new FormatException($"not a valid BIP39 English mnemonic: {e.Message}", e);
        }
    }

    private string WalletDir(string wallet)
    {
        if (string.IsNullOrWhiteSpace(wallet) || wallet.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || wallet.Contains(".."))
            throw new ArgumentException($"'{wallet}' is not a valid wallet name", nameof(wallet));
        return Path.Combine(Root, wallet);
    }

    private string HotkeyPath(string wallet, string hotkey)
    {
        if (string.IsNullOrWhiteSpace(hotkey) || hotkey.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || hotkey.Contains(".."))
            throw new ArgumentException($"'{hotkey}' is not a valid hotkey name", nameof(hotkey));
        return Path.Combine(WalletDir(wallet), "hotkeys", hotkey);
    }

    private static readonly Argon2Parameters KdfParameters = new() { DegreeOfParallelism = 1, MemorySize = 64 * 1024, NumberOfPasses = 3 };

    private static ColdkeyFile Encrypt(KeyPair key, string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(AeadAlgorithm.XChaCha20Poly1305.NonceSize);
        using var aead = DeriveKey(password, salt, KdfParameters);
        byte[] sealedSeed = AeadAlgorithm.XChaCha20Poly1305.Encrypt(aead, nonce, Encoding.UTF8.GetBytes(key.Address), key.ExportSeed());
        return new ColdkeyFile(1, key.Address, "argon2id", KdfParameters.MemorySize, KdfParameters.NumberOfPasses, "xchacha20poly1305",
            Convert.ToBase64String(salt), Convert.ToBase64String(nonce), Convert.ToBase64String(sealedSeed));
    }

    private static KeyPair Decrypt(ColdkeyFile file, string password)
    {
        var parameters = new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = file.MemoryKiB, NumberOfPasses = file.Passes };
        using var aead = DeriveKey(password, Convert.FromBase64String(file.Salt), parameters);
        byte[] ciphertext = Convert.FromBase64String(file.Ciphertext);
        var seed = new byte[Math.Max(0, ciphertext.Length - AeadAlgorithm.XChaCha20Poly1305.TagSize)];
        if (!AeadAlgorithm.XChaCha20Poly1305.Decrypt(aead, Convert.FromBase64String(file.Nonce), Encoding.UTF8.GetBytes(file.Address), ciphertext, seed))
            throw new CryptographicException("wrong password (the coldkey could not be decrypted)");
        return KeyPair.FromSeed(seed);
    }

    private static NSec.Cryptography.Key DeriveKey(string password, byte[] salt, Argon2Parameters parameters) =>
        PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters).DeriveKey(Encoding.UTF8.GetBytes(password), salt, AeadAlgorithm.XChaCha20Poly1305);

    private sealed record ColdkeyFile(int Version, string Address, string Kdf, long MemoryKiB, long Passes, string Cipher, string Salt, string Nonce, string Ciphertext);

    private sealed record HotkeyFile(string Address, string SecretSeed);
}
