namespace Switchboard.Emulator; internal static class Placeholder {}
