using System.Security.Cryptography;
using Bittensor.Keys;

namespace Bittensor.Api.Tests;

public sealed class KeyTests
{
    [Fact]
    public void Ss58_EncodesAlicesKnownAddress()
    {
        var alice = Convert.FromHexString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        Assert.Equal("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", Ss58.Encode(alice));
        Assert.Equal(alice, Ss58.TryDecode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"));
    }

    [Theory]
    [InlineData("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ")] // checksum broken
    [InlineData("1GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")] // not base58 of a prefix-42 key
    [InlineData("15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5")] // Polkadot (prefix 0)
    [InlineData("")]
    [InlineData("alice")]
    public void Ss58_RejectsWhatIsNotAPrefix42Address(string address) => Assert.False(Ss58.IsValid(address));

    /// <summary>RFC 8032 §7.1 test vectors 1–3.</summary>
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void Ed25519_MatchesRfc8032(string secret, string publicKey, string message, string signature)
    {
        using var key = KeyPair.FromSeed(Convert.FromHexString(secret));
        Assert.Equal(publicKey, Convert.ToHexString(key.PublicKey).ToLowerInvariant());
        var msg = Convert.FromHexString(message);
        Assert.Equal(signature, Convert.ToHexString(key.Sign(msg)).ToLowerInvariant());
        Assert.True(KeyPair.Verify(key.Address, msg, Convert.FromHexString(signature)));
        var forged = Convert.FromHexString(signature);
        forged[10] ^= 1;
        Assert.False(KeyPair.Verify(key.Address, msg, forged));
    }

    [Fact]
    public void Wallet_EncryptsTheColdkey_AndRestoresFromTheMnemonic()
    {
        string root = Directory.CreateTempSubdirectory("wallets-").FullName;
        try
        {
            var store = new WalletStore(root);
            var (address, mnemonic) = store.CreateColdkey("alice", "correct horse");
            Assert.Equal(12, mnemonic.Split(' ').Length);
            var (hot, _) = store.CreateHotkey("alice", "default");
            Assert.Equal(["alice"], store.List());
            using (var cold = store.Coldkey("alice", "correct horse")) Assert.Equal(address, cold.Address);
            Assert.Throws<CryptographicException>(() => store.Coldkey("alice", "wrong"));
            Assert.DoesNotContain(mnemonic.Split(' ')[0] + " " + mnemonic.Split(' ')[1], File.ReadAllText(Path.Combine(root, "alice", "coldkey")));
            Assert.Equal(hot, store.Hotkey("alice", "default").Address);

            var restored = new WalletStore(Path.Combine(root, "restored"));
            Assert.Equal(address, restored.CreateColdkey("alice", "another password", mnemonic).Address);
            Assert.Throws<FormatException>(() => restored.CreateColdkey("bob", "pw", "not a real mnemonic at all"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
