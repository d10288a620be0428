import { IsIn, IsString, Matches } from 'class-validator';
import { IsOptional } from '../../common/validators.js';
import { PageQuery } from '../../common/pagination.js';
import { POOL_NAME_PATTERN, VOLUME_FORMATS, VOLUME_NAME_PATTERN, type VolumeFormat } from '../../hypervisor/volumes.js';
import { IMAGE_NAME_PATTERN, OS_FAMILY_PATTERN } from '../image-rules.js';

/**
 * Register a managed file volume of a host as an image: root disks of new instances are qcow2
 * overlays of it. The host's libvirt says what the volume is (format, virtual size); an image
 * with a backing store of its own, or not of the format `format` claims, is refused.
 */
export class CreateImageDto {
  /** Image name, unique: lower-case letters, digits, ".", "_", "-" (at most 63). @example "tiny-linux" */
  @IsString()
  @Matches(IMAGE_NAME_PATTERN, {
    message: 'name must be 1-63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  name!: string;

  /** The storage pool of the host that holds the volume. @example "default" */
  @IsString()
  @Matches(POOL_NAME_PATTERN, {
    message: 'pool must be a storage pool name: letters, digits, ".", "_", "+" or "-", at most 128 characters',
  })
  pool!: string;

  /** A managed file volume of that pool on the host (GET /hosts/{hostId}/volumes). @example "tiny-linux.qcow2" */
  @IsString()
  @Matches(VOLUME_NAME_PATTERN, { message: 'volume must be a volume name (a file name, never a path)' })
  volume!: string;

  /** The format the image is supposed to be in; refused (422) when libvirt finds another. Default: whatever libvirt finds (raw or qcow2). */
  @IsOptional()
  @IsIn(VOLUME_FORMATS)
  format?: VolumeFormat;

  /** Free-form OS family, e.g. linux. @example "linux" */
  @IsOptional()
  @IsString()
  @Matches(OS_FAMILY_PATTERN, { message: 'osFamily must be 1-32 lower-case letters, digits or "-"' })
  osFamily?: string;
}

export class ImageDto {
  id!: string;
  name!: string;
  /** raw or qcow2, as libvirt found it when the image was registered. */
  format!: VolumeFormat;
  /** Virtual size in bytes: the least a root disk made from it can be. */
  sizeBytes!: number;
  osFamily!: string | null;
  /** The host whose pool holds the image; instances using it are placed there. */
  hostId!: string;
  pool!: string;
  volumeId!: string;
  /** Instances whose root disk is an overlay of it (it cannot be deleted meanwhile). */
  instanceCount!: number;
  createdBy!: string;
  createdAt!: Date;
}

export class ImagePageDto {
  items!: ImageDto[];
  nextCursor!: string | null;
}

export class ListImagesQuery extends PageQuery {}
