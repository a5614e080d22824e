namespace Switchboard.Gateway; internal static class Placeholder;
