import Testing
@testable import Scheduling

@Suite("GPU inventory")
struct GPUInventoryTests {
    @Test("nvidia-smi's CSV, including figures it cannot report")
    func nvidiaSMI() throws {
        let output = "0, NVIDIA H200, 143771, 1024, 37\n1, NVIDIA H200, 143771, [N/A], [N/A]\n"
        let inventory = try GPUInventory(nvidiaSMI: output)
        #expect(inventory.devices == [
            .init(index: 0, model: "NVIDIA H200", memoryMB: 143_771, memoryUsedMB: 1024, utilisation: 0.37),
            .init(index: 1, model: "NVIDIA H200", memoryMB: 143_771),
        ])
        #expect(try GPUInventory(nvidiaSMI: "").devices.isEmpty)
        #expect(throws: GPUInventoryError.self) { try GPUInventory(nvidiaSMI: "No devices were found") }
    }

    @Test("--gpus and --simulate-gpus, and the errors that name what was expected")
    func declaredAndSimulated() throws {
        #expect(try GPUInventory(declared: "0:A100:81920,1:L4:24576").devices.map(\.model) == ["A100", "L4"])
        #expect(try GPUInventory(simulated: "2:16000").states.map(\.freeUnits) == [20, 20])
        for bad in ["", "0:A100", "x:A100:1", "0::100", "0:A:0", "0:A:10,0:B:10"] {
            #expect(throws: GPUInventoryError.self, "\(bad)") { try GPUInventory(declared: bad) }
        }
        for bad in ["2", "0:100", "65:100", "2:-1", "a:b"] {
            #expect(throws: GPUInventoryError.self, "\(bad)") { try GPUInventory(simulated: bad) }
        }
    }
}
