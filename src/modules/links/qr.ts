import QRCode from 'qrcode';

/**
 * QR codes of tracked links and showcase pages, to print or to show in a live stream. Level M
 * (15% recovery) survives a phone camera at an angle; the 4-module quiet zone is the standard's.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
}

export function qrPng(text: string, widthPx = 512): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: widthPx });
}
