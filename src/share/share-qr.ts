import QRCode from 'qrcode';

// The follow URL as a QR code a phone can scan off the projector: half-block
// characters, two modules a cell, black on white whatever the terminal's
// colours, and a plain variant for themes without colour.

/** Renders a QR code of `text` for a terminal, both coloured and plain. */
export async function terminalQr(text: string): Promise<{ qr: string; qrPlain: string }> {
  const [qr, qrPlain] = await Promise.all([
    QRCode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'L' }),
    QRCode.toString(text, { type: 'utf8', errorCorrectionLevel: 'L' }),
  ]);
  return { qr: qr.replace(/\n+$/, ''), qrPlain: qrPlain.replace(/\n+$/, '') };
}
