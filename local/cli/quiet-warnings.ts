/**
 * The AWS SDK warns on every start that its releases after January 2027 will need Node 22.
 * pricesense pins SDK versions that run on Node 20, so on every local command that notice is
 * noise between the progress lines; the SDK's own switch turns it off (users can set it to
 * "false" to see it).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
