import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Pretends to be {@code rpicam-vid -t 0 -n --codec yuv420 --width W --height H --framerate F [--frames N] -o -}:
 * parses the same option syntax ({@code --opt value} and {@code --opt=value}), fails on an option it does not
 * know like the real program, and writes I420 frames with a Pi 0-4's row padding (luma stride align64(W),
 * chroma stride half that; padding bytes are 0xEE so a reader that ignores the stride sees stripes).
 *
 * <p>Each frame shows one 28x28 image from {@code FAKE_RPICAM_IMAGES} (raw unsigned bytes, 784 per image,
 * used in turn), scaled up by nearest neighbour to a centred HxH square on a black ground; without that
 * variable it shows a moving gradient. When the file changes (a new modification time or size) it is read
 * again, so replacing it puts another object in front of the camera (a file that is not whole images is
 * ignored until it is). Other variables:
 * <ul>
 * <li>{@code FAKE_RPICAM_FRAMES=N}: exit 0 after N frames (default: forever, or until {@code -t} ms, or
 *     {@code --frames}; the fewer of the two)
 * <li>{@code FAKE_RPICAM_STRIDE=S|pisp}: a luma stride of S bytes (chroma S/2), or a Pi 5's (PiSP:
 *     2*align64(W/2)), instead of a Pi 0-4's
 * <li>{@code FAKE_RPICAM_MODE=crash|hang|garbage|stray} after {@code FAKE_RPICAM_AFTER} frames (default 0):
 *     exit 134, stop writing but stay alive, write half a frame of random bytes and exit 1, or write 100 stray
 *     bytes (0x55) and go on with whole frames, out of step with a reader from then on
 * <li>{@code FAKE_RPICAM_ONCE=FILE}: apply the mode only while FILE does not exist, and create it when the
 *     mode applies (so a restarted camera works)
 * </ul>
 */
public class FakeRpicamVid {
    public static void main(String[] args) throws Exception {
        int width = 640, height = 480, fps = 30;
        long timeoutMs = 5000;
        long framesOption = 0;
        String codec = "h264", output = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i], value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-n", "--nopreview" -> { }
                case "-t", "--timeout" -> timeoutMs = Long.parseLong(value != null ? value : need(args, ++i, arg));
                case "--codec" -> codec = value != null ? value : need(args, ++i, arg);
                case "--width" -> width = Integer.parseInt(value != null ? value : need(args, ++i, arg));
                case "--height" -> height = Integer.parseInt(value != null ? value : need(args, ++i, arg));
                case "--frames" -> framesOption = Long.parseLong(value != null ? value : need(args, ++i, arg));
                case "--framerate" -> fps = (int) Double.parseDouble(value != null ? value : need(args, ++i, arg));
                case "-o", "--output" -> output = value != null ? value : need(args, ++i, arg);
                default -> fail("unrecognised option '" + arg + "'");
            }
        }
        if (!codec.equals("yuv420")) {
            fail("this stand-in only writes --codec yuv420, not " + codec);
        }
        if (!"-".equals(output)) {
            fail("this stand-in only writes to stdout (-o -)");
        }
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0 || fps <= 0) {
            fail("bad size or frame rate");
        }
        System.err.println("[0:00:00.000000000] [1]  INFO Camera camera_manager.cpp:284 fake libcamera, "
                + width + "x" + height + "-YUV420 at " + fps + " fps");

        String imageFile = System.getenv("FAKE_RPICAM_IMAGES");
        byte[][] images = loadImages(imageFile);
        String imageStamp = stamp(imageFile);
        long maxFrames = Long.parseLong(env("FAKE_RPICAM_FRAMES", "-1"));
        if (framesOption > 0 && (maxFrames < 0 || framesOption < maxFrames)) {
            maxFrames = framesOption;
            timeoutMs = 0; // like rpicam-vid: --frames overrides -t
        }
        String mode = env("FAKE_RPICAM_MODE", "normal");
        long after = Long.parseLong(env("FAKE_RPICAM_AFTER", "0"));
        String once = System.getenv("FAKE_RPICAM_ONCE");
        if (once != null && Files.exists(Path.of(once))) {
            mode = "normal";
        }

        String strideRule = env("FAKE_RPICAM_STRIDE", "vc4");
        int stride = switch (strideRule) {
            case "vc4" -> (width + 63) & ~63;
            case "pisp" -> 2 * ((width / 2 + 63) & ~63);
            default -> Integer.parseInt(strideRule);
        };
        byte[] frame = new byte[stride * height * 3 / 2];
        long periodNanos = 1_000_000_000L / fps;
        long start = System.nanoTime();
        // Not System.out: a PrintStream swallows the broken pipe that tells us the reader has gone.
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        try {
            for (long n = 0; maxFrames < 0 || n < maxFrames; n++) {
                if (n == after && !mode.equals("normal")) {
                    if (once != null) {
                        Files.createFile(Path.of(once));
                    }
                    misbehave(mode, out, frame.length);
                }
                if (timeoutMs > 0 && System.nanoTime() - start > timeoutMs * 1_000_000L) {
                    break;
                }
                String now = stamp(imageFile);
                if (imageFile != null && !now.equals(imageStamp)) {
                    imageStamp = now;
                    byte[][] changed = reload(imageFile);
                    images = changed != null ? changed : images;
                }
                draw(frame, width, height, stride, images == null ? null : images[(int) (n % images.length)], n);
                out.write(frame);
                out.flush();
                long due = start + (n + 1) * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (IOException brokenPipe) {
            System.exit(0);
        }
        out.flush();
    }

    private static void misbehave(String mode, OutputStream out, int frameBytes) throws Exception {
        switch (mode) {
            case "crash" -> {
                System.err.println("ERROR: *** fake camera crash ***");
                System.exit(134);
            }
            case "hang" -> {
                System.err.println("fake camera hangs");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "garbage" -> {
                byte[] junk = new byte[frameBytes / 2];
                new Random(7).nextBytes(junk);
                out.write(junk);
                out.flush();
                System.err.println("ERROR: fake camera wrote garbage");
                System.exit(1);
            }
            case "stray" -> {
                byte[] stray = new byte[100];
                java.util.Arrays.fill(stray, (byte) 0x55);
                out.write(stray);
            }
            default -> fail("unknown FAKE_RPICAM_MODE " + mode);
        }
    }

    /** Luma: the image scaled to a centred HxH square; padding 0xEE; chroma neutral (128). */
    private static void draw(byte[] frame, int width, int height, int stride, byte[] image, long n) {
        java.util.Arrays.fill(frame, 0, stride * height, (byte) 0xEE);
        java.util.Arrays.fill(frame, stride * height, frame.length, (byte) 128);
        int side = Math.min(width, height);
        int x0 = (width - side) / 2, y0 = (height - side) / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v;
                if (image == null) {
                    v = (int) ((x + y + n) & 0xFF);
                } else if (x < x0 || x >= x0 + side || y < y0 || y >= y0 + side) {
                    v = 0;
                } else {
                    v = image[((y - y0) * 28 / side) * 28 + (x - x0) * 28 / side] & 0xFF;
                }
                frame[y * stride + x] = (byte) v;
            }
        }
    }

    private static byte[][] loadImages(String file) throws IOException {
        if (file == null) {
            return null;
        }
        byte[] all = Files.readAllBytes(Path.of(file));
        if (all.length == 0 || all.length % 784 != 0) {
            fail(file + " must hold whole 28x28 images (784 bytes each)");
        }
        byte[][] images = new byte[all.length / 784][];
        for (int i = 0; i < images.length; i++) {
            images[i] = java.util.Arrays.copyOfRange(all, i * 784, (i + 1) * 784);
        }
        return images;
    }

    private static String stamp(String file) {
        try {
            return file == null ? "" : Files.getLastModifiedTime(Path.of(file)) + "/" + Files.size(Path.of(file));
        } catch (IOException e) {
            return "missing";
        }
    }

    /** The file's images, or null while it is not whole images (being written, or gone). */
    private static byte[][] reload(String file) {
        try {
            byte[] all = Files.readAllBytes(Path.of(file));
            if (all.length == 0 || all.length % 784 != 0) {
                return null;
            }
            return loadImages(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static String need(String[] args, int i, String option) {
        if (i >= args.length) {
            fail("the required argument for option '" + option + "' is missing");
        }
        return args[i];
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static void fail(String message) {
        System.err.println("ERROR: *** " + message + " ***");
        System.exit(255);
    }
}
