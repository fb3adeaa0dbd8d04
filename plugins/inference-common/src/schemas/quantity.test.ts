import { quantityValue } from './quantity';

describe('quantityValue', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1Ki', 1024],
    ['2Gi', 2 * 2 ** 30],
    ['1k', 1000],
    ['1M', 1e6],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1E', 1e18],
  ])('reads %p as %p', (text, value) => {
    expect(quantityValue(text)).toBeCloseTo(value);
  });

  it.each(['', '-1', '1 Gi', '1GB', 'Gi', '1.2.3'])('refuses %p', text => {
    expect(quantityValue(text)).toBeUndefined();
  });

  it('orders mixed suffixes correctly', () => {
    expect(quantityValue('1Gi')! > quantityValue('1G')!).toBe(true);
    expect(quantityValue('999m')! < quantityValue('1')!).toBe(true);
  });
});
