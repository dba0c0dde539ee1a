// Peer toolkits used only for cross-checks and benchmarks ship no types.
declare module 'dcmjs';
declare module '@iwharris/dicom-data-dictionary';
